import Foundation

/// What a finished child process left: how it ended and its output and errors together.
public struct ProcessRun: Sendable {
    /// The exit status, or the signal that ended it.
    public let status: Int32
    /// Whether it exited (rather than being ended by a signal).
    public let exited: Bool
    public let output: String

    /// Runs `executable` with `arguments`, in `directory` and with `environment` instead of
    /// this process's when given, and waits for it.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, in directory: URL? = nil
    ) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        status = process.terminationStatus
        exited = process.terminationReason == .exit
    }
}
