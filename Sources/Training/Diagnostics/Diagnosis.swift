import Foundation

/// One observation about a training run, in words and numbers.
public struct DiagnosticFinding: Sendable, Equatable {
    /// What the finding is about.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case overfitting = "over-fitting"
        case underfitting = "under-fitting"
        case unstableTraining = "unstable training"
        case vanishingGradients = "vanishing gradients"
        case explodingGradients = "exploding gradients"
        case fit
        case gradients
        case performance
    }

    /// Whether the finding is a problem to act on or a figure to know.
    public enum Severity: String, Sendable, Equatable {
        case warning
        case info
    }

    public let kind: Kind
    public let severity: Severity
    /// A sentence or two: what was seen, and what usually helps.
    public let message: String
    /// The numbers behind the message, by name.
    public let numbers: [String: Double]
}

/// The findings of `TrainingDiagnostics.diagnose`.
public struct Diagnosis: Sendable, Equatable, CustomStringConvertible {
    /// Problems first, then information.
    public let findings: [DiagnosticFinding]

    /// Whether any finding of `kind` was made.
    public func has(_ kind: DiagnosticFinding.Kind) -> Bool { findings.contains { $0.kind == kind } }

    /// The findings as text, one paragraph each.
    public var description: String {
        findings.map { finding in
            let label = finding.severity == .warning ? "warning" : "info"
            return "[\(label)] \(finding.kind.rawValue): \(finding.message)"
        }.joined(separator: "\n")
    }

    /// The findings as JSON (`kind`, `severity`, `message`, `numbers`).
    public func json() throws -> Data {
        let objects = findings.map { finding -> [String: Any] in
            ["kind": finding.kind.rawValue, "severity": finding.severity.rawValue, "message": finding.message,
             "numbers": finding.numbers.mapValues { $0.isFinite ? $0 as Any : String(describing: $0) as Any }]
        }
        return try JSONSerialization.data(withJSONObject: ["findings": objects], options: [.prettyPrinted, .sortedKeys])
    }
}
