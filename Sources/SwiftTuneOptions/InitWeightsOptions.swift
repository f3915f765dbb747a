import ArgumentParser
import Foundation
import Training

/// `train`'s flags that start the model from weights: the command-line form of `init:`.
public struct InitWeightsOptions: ParsableArguments {
    @Option(name: .customLong("init-weights"), help: ArgumentHelp(
        "Start from these weights (safetensors) instead of a random initialization; sets init.weights.", valueName: "file"))
    public var weights: String?

    @Option(name: .customLong("weights-format"), help: ArgumentHelp(
        "How the --init-weights file names its tensors: swifttune (default) or pytorch (a state dict).", valueName: "format"))
    public var format: String?

    public init() {}

    public func validate() throws {
        if let format, InitDescription.Format(rawValue: format) == nil {
            throw ValidationError("--weights-format: '\(format)' is not one of swifttune, pytorch")
        }
        if format != nil, weights == nil { throw ValidationError("--weights-format needs --init-weights") }
    }

    /// `description` with `init:` set from the flags (a relative path starts from the current
    /// folder); the description's own map, prefix and strictness are kept.
    public func applied(to description: TrainingDescription) -> TrainingDescription {
        guard let weights else { return description }
        var result = description
        var initialization = description.initialization ?? InitDescription(weights: weights)
        initialization.weights = URL(fileURLWithPath: weights).path
        if let format, let chosen = InitDescription.Format(rawValue: format) { initialization.format = chosen }
        result.initialization = initialization
        return result
    }
}

extension InitWeightsOptions {
    /// One line on what `init:` loaded, and what it left as initialized.
    public static func summary(_ report: WeightLoadReport) -> String {
        var line = "init: loaded \(report.loaded.count) tensors"
        if !report.missing.isEmpty { line += "; not in the file (kept as initialized): \(report.missing.joined(separator: ", "))" }
        if !report.mismatched.isEmpty { line += "; other shapes (kept as initialized): \(report.mismatched.joined(separator: ", "))" }
        if !report.unexpected.isEmpty { line += "; unused from the file: \(report.unexpected.joined(separator: ", "))" }
        return line
    }
}
