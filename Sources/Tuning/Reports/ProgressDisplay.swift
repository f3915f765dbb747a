import Foundation
import Synchronization

/// Shows a study's progress while it runs, with the text of `ProgressReport`.
///
/// On a terminal, each finished trial prints a line that stays, and under the lines a status
/// line (counts, each running trial's latest step and value, the best so far, ETA) is redrawn in
/// place every `interval` seconds, so a long trial shows its epochs as they come. Elsewhere (a
/// pipe, a log file) only the finished trials' lines are written, without control characters.
public final class ProgressDisplay: Sendable {
    /// Whether the output is a terminal (live status line) or not (finished-trial lines only).
    public let isTerminal: Bool
    /// The terminal's width: the status line is cut to fit, so redrawing never wraps.
    public let width: Int
    /// Seconds between redraws of the status line.
    public let interval: Double
    private let write: @Sendable (String) -> Void
    private let state = Mutex(State())

    private struct State {
        var report: ProgressReport?
        var study: Study?
        var timer: RepeatingTimer?
        /// Whether a status line is on the screen (to be cleared before the next output).
        var statusShown = false
    }

    /// Moves to the start of the line and clears it.
    static let clearLine = "\r\u{1B}[K"

    /// A display writing with `write` (standard output by default).
    public init(
        isTerminal: Bool, width: Int = 80, interval: Double = 1,
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) }
    ) {
        self.isTerminal = isTerminal
        self.width = max(width, 20)
        self.interval = interval
        self.write = write
    }

    /// A display for this process's standard output: live when it is a terminal.
    public static func standardOutput() -> ProgressDisplay {
        guard isatty(STDOUT_FILENO) != 0 else { return ProgressDisplay(isTerminal: false) }
        var size = winsize()
        let columns = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
        return ProgressDisplay(isTerminal: true, width: columns)
    }

    /// Starts showing `study` (on a terminal, the status line and its timer).
    public func begin(_ report: ProgressReport, study: Study) {
        state.withLock { state in
            state.report = report
            state.study = study
        }
        guard isTerminal else { return }
        redraw()
        let timer = RepeatingTimer(interval: interval) { [weak self] in self?.redraw() }
        state.withLock { $0.timer = timer }
    }

    /// Writes the line of a trial that finished, and redraws the status under it.
    public func trialFinished(_ trial: TrialRecord, history: TrialHistory) {
        state.withLock { state in
            guard let report = state.report else { return }
            let line = report.line(for: trial, history: history)
            guard isTerminal else { return write(line + "\n") }
            write(Self.clearLine + line + "\n" + fitted(report.status(history: history)))
            state.statusShown = true
        }
    }

    /// Stops the timer and clears the status line.
    public func end() {
        let timer = state.withLock { state -> RepeatingTimer? in
            defer { state.timer = nil }
            if state.statusShown { write(Self.clearLine) }
            state.statusShown = false
            state.report = nil
            return state.timer
        }
        timer?.cancel()
    }

    /// Redraws the status line from the study's current trials (on a terminal).
    func redraw() {
        guard isTerminal else { return }
        let study = state.withLock { $0.study }
        guard let history = try? study?.refresh() else { return }
        state.withLock { state in
            guard let report = state.report else { return }
            write(Self.clearLine + fitted(report.status(history: history)))
            state.statusShown = true
        }
    }

    /// The text cut to the terminal's width (one column spare), ending in `…` when cut.
    private func fitted(_ text: String) -> String {
        text.count < width ? text : String(text.prefix(width - 2)) + "…"
    }
}
