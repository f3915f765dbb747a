import Backend
import Foundation

/// One saved model file measured on the evaluation data.
public struct SavedModelMeasurement: Codable, Sendable, Equatable {
    /// The file's name in the run folder.
    public let file: String
    /// Its size in bytes.
    public let bytes: Int
    /// Loss and metrics on the evaluation data (nil without evaluation data).
    public let loss: Double?
    public let metrics: [String: Double]
    /// Inference throughput over the evaluation data (the fastest of 3 to 50 passes).
    public let samplesPerSecond: Double?
    /// Fraction of zeros in the pruned tensors (pruned models only).
    public let sparsity: Double?
}

/// The compressed models `train` saved next to `model.safetensors`, each against the float model.
/// Saved as `compression.json`.
public struct CompressedModelsReport: Codable, Sendable, Equatable {
    public static let fileName = "compression.json"

    /// `test` or `validation`: the part measured on, nil when there was none.
    public let evaluatedOn: String?
    public let float: SavedModelMeasurement
    /// `model-int8.safetensors`, when quantization was asked for.
    public let int8: SavedModelMeasurement?
    /// `model-pruned.safetensors`, when pruning was asked for.
    public let pruned: SavedModelMeasurement?
    /// Epochs the pruned model was fine-tuned with its zeros held.
    public let fineTuneEpochs: Int

    /// One line per file: size, loss and metrics, samples/s.
    public var text: String {
        let rows = [float, int8, pruned].compactMap { $0 }
        let width = rows.map(\.file.count).max() ?? 0
        let lines = rows.map { row -> String in
            var parts = [row.file.padding(toLength: width, withPad: " ", startingAt: 0), ByteCount.format(row.bytes)]
            if row.file != float.file, row.sparsity == nil, row.bytes > 0 { parts.append(String(format: "(%.1f× smaller)", Double(float.bytes) / Double(row.bytes))) }
            if let loss = row.loss { parts.append("loss " + String(format: "%.4f", loss)) }
            parts += row.metrics.keys.sorted().map { "\($0) \(String(format: "%.4f", row.metrics[$0] ?? .nan))" }
            if let speed = row.samplesPerSecond { parts.append(String(format: "%.0f samples/s", speed)) }
            if let sparsity = row.sparsity {
                parts.append(String(format: "%.0f%% zeros", sparsity * 100) + (fineTuneEpochs > 0 ? ", fine-tuned \(fineTuneEpochs) epochs" : ""))
            }
            return "  " + parts.joined(separator: "  ")
        }
        return "saved models" + (evaluatedOn.map { " (on the \($0) part)" } ?? "") + ":\n" + lines.joined(separator: "\n")
    }

    /// Writes `compression.json` into `folder`.
    public func write(to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: folder.appendingPathComponent(Self.fileName))
    }
}
