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

    /// The report as text: why training stopped early (unless left out, e.g. when a progress
    /// bar already said it), test figures, diagnosis, compression.
    public func text(includingStopReason: Bool = true) -> String {
        var sections: [String] = []
        if includingStopReason, let stopReason { sections.append(stopReason) }
        if let test {
            let metrics = test.metrics.keys.sorted().map { "\($0) \(String(format: "%.4f", test.metrics[$0] ?? .nan))" }
            sections.append("test: " + (["loss \(String(format: "%.4f", test.loss))"] + metrics).joined(separator: "  "))
        }
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
        RunReport(
            modelSummary: try trainer.model.summary(inputShape: data.train.featureShape), test: try evaluateTest(),
            diagnosis: diagnose(), compression: try compress(), stopReason: trainer.stopReason)
    }

    /// Writes `model.safetensors` (the final weights), `report.txt` and `diagnosis.json` into
    /// `folder` (history and checkpoints are written while training).
    public func write(_ report: RunReport, to folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw DataError.unwritable(file: folder.path, reason: error.localizedDescription)
        }
        try ModelWeights.save(trainer.model, to: folder.appendingPathComponent("model.safetensors"))
        try AtomicFile.write(Data((report.modelSummary + "\n\n" + report.text() + "\n").utf8), to: folder.appendingPathComponent("report.txt"))
        try AtomicFile.write(report.diagnosis.json(), to: folder.appendingPathComponent("diagnosis.json"))
    }
}
