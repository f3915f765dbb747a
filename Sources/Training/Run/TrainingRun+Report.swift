import Backend
import Foundation

/// What a finished run measured, as text for a person and files for a program.
public struct RunReport: Sendable {
    /// The model table (layers, output shapes, parameters).
    public let modelSummary: String
    /// The test (or nothing) evaluation.
    public let test: Evaluation?
    public let diagnosis: Diagnosis
    public let compression: [CompressionResult]
    /// Why training stopped early, if it did.
    public let stopReason: String?
    /// For a classifier with test data: per-class precision, recall, F1 and the confusion matrix.
    public let classification: ClassificationReport?

    public init(
        modelSummary: String, test: Evaluation?, diagnosis: Diagnosis, compression: [CompressionResult], stopReason: String?,
        classification: ClassificationReport? = nil
    ) {
        self.modelSummary = modelSummary
        self.test = test
        self.diagnosis = diagnosis
        self.compression = compression
        self.stopReason = stopReason
        self.classification = classification
    }

    /// The report as text: why training stopped early (unless left out, e.g. when a progress
    /// bar already said it), test figures, diagnosis, compression.
    public func text(includingStopReason: Bool = true) -> String {
        var sections: [String] = []
        if includingStopReason, let stopReason { sections.append(stopReason) }
        if let test {
            let metrics = test.metrics.keys.sorted().map { "\($0) \(String(format: "%.4f", test.metrics[$0] ?? .nan))" }
            sections.append("test: " + (["loss \(String(format: "%.4f", test.loss))"] + metrics).joined(separator: "  "))
        }
        if let classification { sections.append("test, per class:\n" + classification.text) }
        sections.append("diagnosis:\n" + diagnosis.description)
        if !compression.isEmpty {
            sections.append("compression:\n" + compression.map(\.description).joined(separator: "\n"))
        }
        return sections.joined(separator: "\n\n")
    }
}

extension TrainingRun {
    /// Evaluates on the test part, diagnoses and compresses (as described).
    public func report() throws -> RunReport {
        let test = try evaluateTest()
        var classification: ClassificationReport?
        if let test, let testData = data.test, case let .classification(classNames) = testData.task, trainer.loss != .meanSquaredError {
            classification = try ClassificationReport(outputs: test.outputs, targets: testData.targets, classNames: classNames)
        }
        return RunReport(
            modelSummary: try trainer.model.summary(inputShape: data.train.featureShape)
                + (transfer.summary(of: trainer.model).map { "\n" + $0 } ?? ""), test: test,
            diagnosis: diagnose(), compression: try compress(), stopReason: trainer.stopReason, classification: classification)
    }

    /// The files `write(_:to:)` writes.
    public static func reportFiles(classification: Bool) -> [String] {
        ["model.safetensors", Preprocessing.fileName, "report.txt", "report.html", "diagnosis.json"]
            + (classification ? ["classification_report.csv", "confusion_matrix.csv"] : [])
    }

    /// Writes the model folder (`writeModelFolder(to:)`), `report.txt`,
    /// `report.html` and `diagnosis.json` into `folder`, and for a classifier with test data
    /// `classification_report.csv` and `confusion_matrix.csv` (history and checkpoints are
    /// written while training).
    public func write(_ report: RunReport, to folder: URL) throws {
        try writeModelFolder(to: folder)
        try AtomicFile.write(Data((report.modelSummary + "\n\n" + report.text() + "\n").utf8), to: folder.appendingPathComponent("report.txt"))
        try AtomicFile.write(report.diagnosis.json(), to: folder.appendingPathComponent("diagnosis.json"))
        let page = TrainingReportPage(
            name: folder.lastPathComponent, history: trainer.history, gradientNorms: trainer.gradientNorms, report: report)
        try AtomicFile.write(Data(page.html().utf8), to: folder.appendingPathComponent("report.html"))
        if let classification = report.classification {
            try AtomicFile.write(Data(classification.csv.utf8), to: folder.appendingPathComponent("classification_report.csv"))
            try AtomicFile.write(Data(classification.confusionCSV.utf8), to: folder.appendingPathComponent("confusion_matrix.csv"))
        }
    }
}
