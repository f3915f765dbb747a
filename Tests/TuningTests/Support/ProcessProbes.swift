import Foundation
import Synchronization
@testable import Tuning

/// Whether a process runs: it exists and, on Linux, is not a zombie (dead, waiting to be reaped
/// by a parent that may never do it in a container).
func isRunning(_ pid: pid_t) -> Bool {
    guard pid > 0, kill(pid, 0) == 0 else { return false }
    #if os(Linux)
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let nameEnd = stat.lastIndex(of: ")") else { return false }
    return !stat[nameEnd...].dropFirst(2).hasPrefix("Z")
    #else
    return true
    #endif
}

/// Checks `condition` every 50 ms until it holds or `seconds` pass; returns whether it held. The
/// default is generous, so that a loaded machine cannot miss it.
func waitUntil(seconds: Double = 120, _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try condition()
}

/// A new empty folder in the temporary directory.
func temporaryFolder(_ name: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The process id written in a file (as `echo $$ > FILE` does), once the file holds one.
func recordedPid(_ path: String) -> pid_t? {
    (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
}

/// Every process id recorded in `folder` in files named `*.suffix`, by file name without it.
func recordedPids(in folder: String, suffix: String) -> [String: pid_t] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    var pids: [String: pid_t] = [:]
    for name in names where name.hasSuffix("." + suffix) {
        if let pid = recordedPid(folder + "/" + name) { pids[String(name.dropLast(suffix.count + 1))] = pid }
    }
    return pids
}

/// A clock that moves only when told to.
final class ManualClock: Sendable {
    private let time = Mutex(Date(timeIntervalSinceReferenceDate: 0))

    func now() -> Date { time.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        time.withLock { $0 += seconds }
    }
}
