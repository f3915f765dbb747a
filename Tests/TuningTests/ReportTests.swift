import Foundation
import Testing
@testable import Tuning

@Suite struct ReportTests {
    /// A finished study on x (important), y (unimportant) and a categorical.
    static func study() async throws -> Study {
        let space = try SearchSpace([.float("x", 0...1), .float("y", 0...1), .categorical("c", ["a", "b, \"quoted\""])])
        let study = try Study(name: "r<&>", space: space, seed: 4, storage: InMemoryStorage(), sampler: RandomSampler(), heartbeat: .off)
        try await study.optimize(stop: [.trials(40)]) { trial in
            let x = try trial.double("x")
            for step in 1...3 { try trial.report(x + 1 / Double(step), step: step) }
            if trial.number == 7 { throw TrialPruned() }
            if trial.number == 9 { return .nan }
            return x * 10 + 0.01 * (try trial.double("y"))
        }
        return study
    }

    @Test func importanceFindsTheParameterThatMatters() async throws {
        let study = try await Self.study()
        let importance = ParameterImportance.estimate(trials: try study.trials(), space: study.space, direction: .minimize)
        #expect(importance.first?.name == "x")
        #expect(importance.first!.importance > 0.6)
        #expect(abs(importance.map(\.importance).reduce(0, +) - 1) < 1e-9)
    }

    @Test func htmlIsSelfContainedAndEscaped() async throws {
        let study = try await Self.study()
        let html = HTMLReport(name: study.name, direction: study.direction, space: study.space, trials: try study.trials()).html()
        for section in ["Optimization history", "Intermediate values", "Parameter importance", "Parallel coordinates", "Slices"] {
            #expect(html.contains("<h2>\(section)</h2>"), "\(section)")
        }
        #expect(html.contains("r&lt;&amp;&gt;"))
        #expect(!html.contains("r<&>"))
        // Nothing to fetch: no scripts, no linked files.
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href="))
        #expect(html.components(separatedBy: "<svg").count - 1 == 4 + 3)
        #expect(html.components(separatedBy: "<svg").count == html.components(separatedBy: "</svg>").count)
    }

    @Test func csvAndJSONCarryEveryTrial() async throws {
        let study = try await Self.study()
        let export = TrialExport(trials: try study.trials(), space: study.space)
        let lines = export.csv().split(separator: "\n")
        #expect(lines.count == 41)
        #expect(lines[0].hasPrefix("number,state,value,param_x,param_y,param_c,"))
        #expect(lines.contains { $0.contains("\"b, \"\"quoted\"\"\"") })
        #expect(lines[8].hasPrefix("7,PRUNED,"))
        #expect(lines[10].contains("the objective returned nan"))
        let json = try JSONSerialization.jsonObject(with: Data(try export.json().utf8)) as? [[String: Any]]
        #expect(json?.count == 40)
        #expect((json?[3]["params"] as? [String: Any])?["x"] is Double)
        #expect((json?[3]["intermediate_values"] as? [String: Any])?.count == 3)
    }

    @Test func tablesAndJSONShowFailureReasonsWhole() async throws {
        let reason = "exited with status 1: " + String(repeating: "a long traceback line ", count: 20) + "\nValueError: bad x"
        let study = try Study(name: "f", space: try SearchSpace([.float("x", 0...1)]), storage: InMemoryStorage(),
                              sampler: RandomSampler(), heartbeat: .off)
        try await study.optimize(stop: [.trials(2)]) { trial in
            guard trial.number == 1 else { return 1 }
            throw CommandObjective.Failure(description: reason)
        }
        let export = TrialExport(trials: try study.trials(), space: study.space)
        let rows = export.text().split(separator: "\n")
        #expect(rows[0].hasSuffix("reason"))
        #expect(rows[2].hasSuffix(reason.replacingOccurrences(of: "\n", with: "\\n")))
        let json = try JSONSerialization.jsonObject(with: Data(try export.json().utf8)) as? [[String: Any]]
        #expect(json?[1]["fail_reason"] as? String == reason)
        #expect(json?[0]["fail_reason"] == nil)
        // Without failures, no reason column.
        #expect(!TrialExport(trials: [try study.trials()[0]], space: study.space).text().contains("reason"))
    }

    @Test func summaryAndProgressLinesNameTheBest() async throws {
        let study = try await Self.study()
        let summary = try StudySummary.text(of: study, run: nil)
        let best = try #require(try study.bestTrial())
        #expect(summary.contains("best: trial \(best.number)"))
        #expect(summary.contains("complete 38, pruned 1, failed 1"))
        // Ten seconds after the run began (the first trial's start), with 40 of 80 trials done:
        // times given, not read from the clock, which a loaded machine moves on between readings.
        let started = try #require(try study.trials().compactMap(\.startedAt).min())
        let line = ProgressReport(direction: .minimize, conditions: [.trials(80)], started: started)
            .line(for: best, history: try study.refresh(), now: started.addingTimeInterval(10))
        #expect(line.hasPrefix("[40/80] #\(best.number) COMPLETE"))
        #expect(line.hasSuffix("0:10 elapsed, ETA 0:10"))
    }
}
