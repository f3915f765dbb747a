import Foundation

/// The PyTorch comparison environment for tests that check layers against PyTorch: its Python,
/// when there is one (`SWIFTTUNE_COMPARE_PYTHON`, else `.venv-compare` in the repository root,
/// which scripts/lib/compare-venv.sh creates), and a way to run a reference script there.
public enum TorchComparison {
    /// The repository root.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The comparison environment's Python, or nil without one (the tests then skip).
    public static let python: String? = {
        if let explicit = ProcessInfo.processInfo.environment["SWIFTTUNE_COMPARE_PYTHON"] { return explicit }
        let path = root.appendingPathComponent(".venv-compare/bin/python").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }()

    /// Runs `scripts/lib/<script>` with a temporary output file as its argument and returns what
    /// it wrote; throws with the script's output when it fails.
    public static func run(script: String) throws -> Data {
        guard let python else { throw TorchComparisonError(detail: "no PyTorch comparison environment (.venv-compare)") }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("swifttune-\(script)-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try ProcessRun(python, [root.appendingPathComponent("scripts/lib/\(script)").path, file.path])
        guard run.exited, run.status == 0 else { throw TorchComparisonError(detail: "\(script) failed (\(run.status)): \(run.output)") }
        return try Data(contentsOf: file)
    }
}

/// A reference script that could not run.
public struct TorchComparisonError: Error, CustomStringConvertible {
    public let detail: String
    public var description: String { detail }
}
