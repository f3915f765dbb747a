import Backend
import Foundation
import Testing
@testable import Training

/// `data.classes`, `data.samples_per_class`, `data.folds` and the cross-validation summary.
struct DataSelectionTests {
    static func prepared(_ data: String, fold: Int? = nil) throws -> PreparedData {
        let description = try TrainingDescription.parse(yaml: "data: \(data)\nmodel: [{dense: 10}]", file: "d.yaml")
        return try description.data.prepare(seed: 4, baseFolder: description.baseFolder, fold: fold)
    }

    @Test func chosenClassesAreRenumberedInTheirOrder() throws {
        let all = try BundledDataset.digits.load()
        let data = try Self.prepared("{dataset: digits, classes: [7, 2], validation: 0.2, test: 0.2, scale: none}")
        #expect(data.train.classNames == ["7", "2"])
        let total = data.train.count + (data.validation?.count ?? 0) + (data.test?.count ?? 0)
        #expect(total == all.classCounts()[7] + all.classCounts()[2])
        // A sample of class "7" keeps its pixels and becomes class 0.
        let first = data.train.features(of: 0)
        let original = try #require(all.classIndices.indices.first { all.features(of: $0).elementsEqual(first) })
        #expect(all.classNames[all.classIndices[original]] == data.train.classNames[data.train.classIndices[0]])
        do {
            _ = try Self.prepared("{dataset: digits, classes: [ten]}")
            Issue.record("an unknown class was accepted")
        } catch {
            #expect("\(error)" == "d.yaml:1:34: data.classes: 'ten' is not a class; the classes are 0, 1, 2, 3, 4, 5, 6, 7, 8, 9")
        }
        #expect(throws: DescriptionError.self) { try Self.prepared("{dataset: diabetes, classes: [1]}") }
    }

    @Test func samplesPerClassLimitsOnlyTheTrainingPart() throws {
        let full = try Self.prepared("{dataset: digits}")
        let few = try Self.prepared("{dataset: digits, samples_per_class: 3}")
        #expect(few.train.classCounts() == [Int](repeating: 3, count: 10))
        #expect(few.validation?.count == full.validation?.count && few.test?.count == full.test?.count)
        let again = try Self.prepared("{dataset: digits, samples_per_class: 3}")
        #expect(again.train.features == few.train.features)
    }

    @Test func foldsValidateOnDisjointStratifiedPartsAndKeepOneTestPart() throws {
        let folds = try (0..<3).map { try Self.prepared("{dataset: digits, folds: 3, test: 0.2, scale: none}", fold: $0) }
        let tests = folds.map { $0.test?.features ?? [] }
        #expect(tests.allSatisfy { $0 == tests[0] } && !tests[0].isEmpty)
        let validations = folds.compactMap(\.validation)
        #expect(validations.count == 3)
        let total = validations.reduce(0) { $0 + $1.count }
        #expect(total == folds[0].train.count + validations[0].count)
        // Stratified: each class's count differs by at most one between folds.
        for digit in 0..<10 {
            let counts = validations.map { $0.classCounts()[digit] }
            #expect((counts.max() ?? 0) - (counts.min() ?? 0) <= 1)
        }
        var seen = Set<[Float]>()
        for validation in validations {
            for index in 0..<validation.count { seen.insert(Array(validation.features(of: index))) }
        }
        #expect(seen.count > total - 20)  // the digits hold a few duplicate images
        #expect(throws: DataError.self) { try Self.prepared("{dataset: digits, folds: 3}") }
        #expect(throws: DescriptionError.self) { try Self.prepared("{dataset: digits, folds: 1}", fold: 0) }
    }

    @Test func imageFilesTakeTheSelectionKeysButRefuseMaxSamples() throws {
        let selected = try TrainingDescription.parse(
            yaml: "data: {images: pics, image_size: [8, 8], folds: 3, classes: [cat], samples_per_class: 5}\nmodel: [{dense: 10}]", file: "i.yaml")
        #expect(selected.data.selection == DataSelection(classes: ["cat"], samplesPerClass: 5, folds: 3))
        do {
            _ = try TrainingDescription.parse(yaml: "data: {images: pics, image_size: [8, 8], max_samples: 3}\nmodel: [{dense: 10}]", file: "i.yaml")
            Issue.record("max_samples was accepted with image files")
        } catch {
            #expect("\(error)".hasSuffix("data.max_samples: 'max_samples' does not apply to image files (data.images) yet"))
        }
    }

    @Test func theSummaryGivesMeanAndSampleStandardDeviation() throws {
        let result = CrossValidationResult(folds: [
            FoldFigures(fold: 0, values: ["val_accuracy": 0.8, "validation_loss": 0.5]),
            FoldFigures(fold: 1, values: ["val_accuracy": 0.9, "validation_loss": 0.3]),
            FoldFigures(fold: 2, values: ["val_accuracy": 1.0, "validation_loss": 0.4]),
        ])
        #expect(abs(result.mean("val_accuracy") - 0.9) < 1e-12)
        #expect(abs(result.standardDeviation("val_accuracy") - 0.1) < 1e-12)
        #expect(result.names == ["val_accuracy", "validation_loss"])
        #expect(result.csv.hasPrefix("fold,val_accuracy,validation_loss\n1,0.8,0.5\n"))
        let std = try #require(result.csv.split(separator: "\n").last).split(separator: ",")
        #expect(std.first == "std" && std.dropFirst().allSatisfy { abs((Double($0) ?? 0) - 0.1) < 1e-12 })
        #expect(result.text.contains("val_accuracy     0.8000   0.9000   1.0000    0.9000 ± 0.1000"))
        let folder = try TemporaryFolder()
        try result.write(to: folder.url)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.url.appendingPathComponent("folds.json"))) as? [String: Any]
        #expect((json?["folds"] as? [Any])?.count == 3)
    }

    @Test func eachFoldTrainsAndReportsEveryFigure() throws {
        let yaml = "seed: 2\ndata: {dataset: breast_cancer, folds: 2, test: 0.2}\nmodel: [{dense: 1}]\ntraining: {epochs: 2}"
        let description = try TrainingDescription.parse(yaml: yaml, file: "f.yaml")
        let figures = try (0..<2).map { fold -> FoldFigures in
            let run = try TrainingRun(description, device: CPUDevice.shared, fold: fold)
            try run.fit()
            return try FoldFigures(fold: fold, run: run, test: run.evaluateTest())
        }
        let names = CrossValidationResult(folds: figures).names
        #expect(names == ["accuracy", "roc_auc", "test_accuracy", "test_loss", "test_roc_auc", "train_loss", "val_accuracy", "val_roc_auc", "validation_loss"])
        #expect(figures[0].values["val_accuracy"] != figures[1].values["val_accuracy"])
    }
}
