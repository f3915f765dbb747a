import Foundation
import Synchronization
import Testing
@testable import Tuning

@Suite struct ProgressDisplayTests {
    static let started = Date(timeIntervalSince1970: 1_000_000)

    /// A study of limit 10 seen 20 s after `started`: #0 complete 0.9 and #1 pruned before this
    /// run, #2 complete 0.95 and #3 failed during it, #4 running at step 3, #5 just started.
    static func history() -> TrialHistory {
        let before = started.addingTimeInterval(-100), during = started.addingTimeInterval(5)
        let trials = [
            TrialRecord(id: 1, number: 0, state: .complete, params: ["lr": .double(0.1)], value: 0.9, finishedAt: before, revision: 1),
            TrialRecord(id: 2, number: 1, state: .pruned, value: 0.5, intermediateValues: [1: 0.5], finishedAt: before, revision: 2),
            TrialRecord(
                id: 3, number: 2, state: .complete, params: ["lr": .double(0.01), "opt": .string("adam")], value: 0.95,
                finishedAt: during, revision: 3),
            TrialRecord(id: 4, number: 3, state: .fail, userAttributes: [TrialRecord.failReasonKey: "diverged"], finishedAt: during, revision: 4),
            TrialRecord(id: 5, number: 4, state: .running, intermediateValues: [1: 0.7, 2: 0.8, 3: 0.85], revision: 5),
            TrialRecord(id: 6, number: 5, state: .running, revision: 6),
        ]
        var history = TrialHistory(direction: .maximize)
        history.apply(TrialChanges(trials: trials, revision: 6))
        return history
    }

    static let report = ProgressReport(direction: .maximize, conditions: [.trials(10)], started: started)
    static let now = started.addingTimeInterval(20)

    @Test func finishedTrialLineNamesTheTrialCountsBestAndETA() throws {
        let history = Self.history()
        let line = Self.report.line(for: history.trials[2], history: history, now: Self.now)
        // 2 trials finished in this run's 20 s: 10 s each, 6 of 10 left.
        #expect(line == "[4/10] #2 COMPLETE 0.95 | running 2, pruned 1, failed 1 | best 0.95 #2 lr=0.01 opt=adam | 0:20 elapsed, ETA 1:00")
        let failed = Self.report.line(for: history.trials[3], history: history, now: Self.now)
        #expect(failed.hasPrefix("[4/10] #3 FAIL (diverged) | running 2"))
    }

    @Test func statusShowsRunningTrialsWithTheirLatestStep() {
        let status = Self.report.status(history: Self.history(), now: Self.now)
        #expect(status == "[4/10] running 2 (#4 step 3: 0.85, #5 starting), pruned 1, failed 1 | best 0.95 #2 lr=0.01 opt=adam | 0:20 elapsed, ETA 1:00")
    }

    @Test func noETAWithoutATrialLimitOrBeforeATrialOfThisRunFinished() {
        let history = Self.history()
        let unlimited = ProgressReport(direction: .maximize, conditions: [], started: Self.started)
        #expect(unlimited.secondsLeft(history: history, now: Self.now) == nil)
        #expect(unlimited.status(history: history, now: Self.now).hasPrefix("[4] running 2"))
        let later = ProgressReport(direction: .maximize, conditions: [.trials(10)], started: Self.now)
        #expect(later.secondsLeft(history: history, now: Self.now.addingTimeInterval(30)) == nil)
        #expect(!later.status(history: history, now: Self.now).contains("ETA"))
    }

    /// What a display writes for a study of three finished trials: begin, the first trial's
    /// line, one timer redraw, end.
    static func outputOfOneFinishedTrial(isTerminal: Bool, width: Int = 80) async throws -> String {
        let (display, output) = Self.display(isTerminal: isTerminal, width: width)
        let study = try await Self.finishedStudy()
        display.begin(ProgressReport(direction: .minimize, conditions: [.trials(3)]), study: study)
        let history = try study.refresh()
        display.trialFinished(history.trials[0], history: history)
        display.redraw()
        display.end()
        return output.text
    }

    @Test func withoutATerminalOnlyFinishedTrialLinesAreWritten() async throws {
        let text = try await Self.outputOfOneFinishedTrial(isTerminal: false)
        #expect(text.hasPrefix("[3/3] #0 COMPLETE"))
        #expect(text.hasSuffix("\n"))
        #expect(text.filter { $0 == "\n" }.count == 1)
        #expect(!text.contains("\u{1B}") && !text.contains("\r"))
    }

    @Test func onATerminalTheStatusLineIsRedrawnInPlaceAndCleared() async throws {
        let text = try await Self.outputOfOneFinishedTrial(isTerminal: true, width: 40)
        let clear = ProgressDisplay.clearLine
        let draws = text.components(separatedBy: clear).dropFirst()
        // begin's draw, the trial line with the status under it, the timer's redraw, and the final clear.
        #expect(draws.count == 4)
        #expect(draws.allSatisfy { !$0.contains("\n") || $0.hasPrefix("[3/3] #0 COMPLETE") })
        #expect(draws.last == "")
        for status in draws.map({ $0.split(separator: "\n").last.map(String.init) ?? "" }) where !status.isEmpty {
            #expect(status.count < 40, "status wider than the terminal: \(status)")
        }
    }

    /// What a display wrote.
    final class Output: Sendable {
        private let written = Mutex("")
        func append(_ text: String) { written.withLock { $0 += text } }
        var text: String { written.withLock { $0 } }
    }

    /// A display writing into an `Output` (its timer too slow to fire during a test).
    static func display(isTerminal: Bool, width: Int = 80) -> (ProgressDisplay, Output) {
        let output = Output()
        return (ProgressDisplay(isTerminal: isTerminal, width: width, interval: 3600, write: output.append), output)
    }

    static func finishedStudy() async throws -> Study {
        let study = try Study(
            name: "display", space: try SearchSpace([.float("x", 0...1)]), storage: InMemoryStorage(), sampler: RandomSampler(),
            heartbeat: .off)
        try await study.optimize(stop: [.trials(3)]) { trial in try trial.double("x") }
        return study
    }
}
