import Testing
import Training

@Suite struct ClassificationMetricsTests {
    /// Class 2 is never predicted. Per class: precision 1/3, 2/3, 0; recall 1/2, 1, 0; F1 0.4, 0.8, 0.
    static let actual = [0, 0, 1, 1, 2, 2]
    static let predicted = [0, 1, 1, 1, 0, 0]

    @Test func perClassAndAveragedScoresMatchHandComputedValues() throws {
        let matrix = try ConfusionMatrix(actual: Self.actual, predicted: Self.predicted, classCount: 3)
        #expect(matrix.counts == [[1, 1, 0], [0, 2, 0], [2, 0, 0]])
        #expect(matrix.accuracy == 0.5)
        #expect(abs(matrix.precision(ofClass: 0) - 1.0 / 3) < 1e-12)
        #expect(matrix.precision(ofClass: 2) == 0)
        #expect(matrix.recall(ofClass: 1) == 1)
        #expect(abs(matrix.f1(ofClass: 0) - 0.4) < 1e-12)
        #expect(abs(matrix.f1(ofClass: 1) - 0.8) < 1e-12)
        #expect(abs(try matrix.precision(.macro) - 1.0 / 3) < 1e-12)
        #expect(abs(try matrix.recall(.macro) - 0.5) < 1e-12)
        #expect(abs(try matrix.f1(.macro) - 0.4) < 1e-12)
        #expect(try matrix.f1(.micro) == 0.5)
        #expect(try matrix.precision(.micro) == 0.5)
        #expect(abs(try matrix.recall(.binary(positiveClass: 0)) - 0.5) < 1e-12)
    }

    @Test func aClassThatNeverOccursDoesNotLowerTheMacroAverage() throws {
        let matrix = try ConfusionMatrix(actual: Self.actual, predicted: Self.predicted, classCount: 4)
        #expect(abs(try matrix.precision(.macro) - 1.0 / 3) < 1e-12)
        #expect(abs(try matrix.f1(.macro) - 0.4) < 1e-12)
    }

    @Test func weightedAveragingWeighsBySupport() throws {
        // Class 0: precision 1, recall 2/3 (support 3); class 1: precision 1/2, recall 1 (support 1).
        let matrix = try ConfusionMatrix(actual: [0, 0, 0, 1], predicted: [0, 0, 1, 1], classCount: 2)
        #expect(abs(try matrix.precision(.weighted) - 0.875) < 1e-12)
        #expect(abs(try matrix.recall(.weighted) - 0.75) < 1e-12)
        #expect(abs(try matrix.f1(.binary(positiveClass: 1)) - 2.0 / 3) < 1e-12)
        #expect(throws: DataError.self) { try matrix.f1(.binary(positiveClass: 2)) }
    }

    @Test func badInputsAreErrors() {
        #expect(throws: DataError.self) { try ConfusionMatrix(actual: [0, 1], predicted: [0], classCount: 2) }
        #expect(throws: DataError.self) { try ConfusionMatrix(actual: [], predicted: [], classCount: 2) }
        #expect(throws: DataError.self) { try ConfusionMatrix(actual: [0, 3], predicted: [0, 1], classCount: 2) }
    }

    @Test func rendersATable() throws {
        let matrix = try ConfusionMatrix(actual: Self.actual, predicted: Self.predicted, classCount: 3)
        let expected = """
            actual \\ predicted    cat    dog  mouse
            cat                     1      1      0
            dog                     0      2      0
            mouse                   2      0      0
            """
        #expect(matrix.rendered(classNames: ["cat", "dog", "mouse"]) == expected)
        #expect(matrix.description.hasPrefix("actual \\ predicted  0  1  2\n0"))
    }

    @Test func binaryAUCCountsTiesAsHalf() throws {
        #expect(try ROCAUC.binary(labels: [0, 0, 1, 1], scores: [0.1, 0.4, 0.35, 0.8]) == 0.75)
        // Positive 0.5 ties negative 0.5: 3.5 of 4 pairs are ordered right.
        #expect(try ROCAUC.binary(labels: [0, 1, 0, 1], scores: [0.5, 0.5, 0.2, 0.9]) == 0.875)
        #expect(try ROCAUC.binary(labels: [1, 0, 1, 0], scores: [3, 3, 3, 3]) == 0.5)
        #expect(try ROCAUC.binary(labels: [1, 1, 0], scores: [0, 0.1, 0.2]) == 0)
    }

    @Test func aucNeedsBothClassesAndFiniteScores() {
        #expect(throws: DataError.invalidArgument(
            op: "ROCAUC", detail: "undefined with 3 positive and 0 negative samples (both are needed)")) {
            try ROCAUC.binary(labels: [1, 1, 1], scores: [0.1, 0.2, 0.3])
        }
        #expect(throws: DataError.self) { try ROCAUC.binary(labels: [0, 1], scores: [0.1, .nan]) }
        #expect(throws: DataError.self) { try ROCAUC.binary(labels: [0, 2], scores: [0.1, 0.2]) }
        #expect(throws: DataError.self) {
            try ROCAUC.oneVsRest(labels: [0, 1, 1], probabilities: Array(repeating: 1.0 / 3, count: 9), classCount: 3)
        }
    }

    @Test func oneVersusRestAUCAveragesTheClasses() throws {
        // Class 0: 2.5 of 4 pairs right (a tie at 0.1); classes 1 and 2: perfectly ranked.
        let probabilities: [Double] = [0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.3, 0.6, 0.1, 0.5, 0.4]
        let auc = try ROCAUC.oneVsRest(labels: [0, 1, 2, 0], probabilities: probabilities, classCount: 3)
        #expect(abs(auc - 0.875) < 1e-12)
    }

    @Test func metricsReadLogitsAndProbabilities() throws {
        // Logits whose argmax gives the predictions above; the second row ties 1 and 2 (first wins).
        let logits: [Float] = [2, 0, 1, 0, 3, 3, -1, 5, 0, 0, 1, -2, 4, 0, 0, 1, -1, 0]
        let outputs = try ModelOutputs(logits, width: 3)
        #expect(outputs.predictedClasses() == Self.predicted)
        let targets = Self.actual.map(Float.init)
        let values = try Metric.compute([.accuracy, .f1Macro, .precisionMacro, .f1Micro], outputs: outputs, targets: targets)
        #expect(values["accuracy"] == 0.5)
        #expect(abs((values["f1_macro"] ?? 0) - 0.4) < 1e-12)
        #expect(abs((values["precision_macro"] ?? 0) - 1.0 / 3) < 1e-12)
        #expect(values["f1_micro"] == 0.5)
        let probabilities = outputs.classProbabilities()
        #expect(abs(probabilities[0..<3].reduce(0, +) - 1) < 1e-12)

        let binary = try ModelOutputs([-2, 0.5, 0.1, 3], width: 1)
        #expect(binary.predictedClasses() == [0, 1, 1, 1])
        #expect(try Metric.rocAUC.compute(binary, targets: [0, 0, 1, 1]) == 0.75)
        let probabilityOutputs = try ModelOutputs([0.2, 0.6], width: 1, kind: .probabilities)
        #expect(probabilityOutputs.predictedClasses() == [0, 1])
        #expect(throws: DataError.self) { try Metric.accuracy.compute(binary, targets: [0, 1, 2, 0]) }
        #expect(throws: DataError.self) { try Metric.accuracy.compute(binary, targets: [0, 1]) }
    }
}
