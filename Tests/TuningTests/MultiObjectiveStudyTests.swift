import Foundation
import Testing
@testable import Tuning

@Suite struct MultiObjectiveStudyTests {
    @Test(arguments: StorageKind.available)
    func storagesKeepSeveralValuesAndDirections(kind: StorageKind) throws {
        let storage = try kind.make()
        let study = try Study(name: "m", space: unitSpace, direction: .maximize, storage: storage, sampler: RandomSampler(), heartbeat: .off)
        try study.setDirections([.maximize, .minimize])
        let first = try #require(try study.ask())
        try study.tell(first, values: [0.875, 12_345])
        let second = try #require(try study.ask())
        try study.tell(second, values: [0.5, .nan])

        let reopened = try Study(loading: "m", storage: storage, sampler: RandomSampler(), heartbeat: .off)
        #expect(try reopened.directions() == [.maximize, .minimize])
        let trials = try reopened.trials()
        #expect(trials[0].objectiveValues == [0.875, 12_345])
        #expect(trials[0].value == 0.875)
        #expect(trials[1].state == .fail)
        #expect(try reopened.paretoTrials(directions: [.maximize, .minimize]).map(\.number) == [0])
    }

    @Test func singleObjectiveStudiesAreUnchanged() throws {
        let study = try Study(name: "s", space: unitSpace, storage: InMemoryStorage(), sampler: RandomSampler(), heartbeat: .off)
        #expect(try study.directions() == [.minimize])
        let trial = try #require(try study.ask())
        let record = try study.tell(trial, .complete(2))
        #expect(record.objectiveValues == [2])
        #expect(record.userAttributes.isEmpty)
        #expect(throws: TuningError.self) { try study.setDirections([.maximize, .minimize]) }
        // A study with trials of one objective does not become one with two.
        #expect(throws: TuningError.self) { try study.setDirections([.minimize, .minimize]) }
    }

    @Test func joiningWithOtherDirectionsIsAMismatch() throws {
        let storage = InMemoryStorage()
        let study = try Study(name: "m", space: unitSpace, storage: storage, sampler: RandomSampler(), heartbeat: .off)
        try study.setDirections([.minimize, .maximize])
        try study.setDirections([.minimize, .maximize])
        do {
            try study.setDirections([.minimize, .minimize])
            Issue.record("accepted other directions")
        } catch let TuningError.studyMismatch(name, reason) {
            #expect(name == "m")
            #expect(reason == "directions [minimize, maximize], not [minimize, minimize]")
        }
    }

    /// A study file rejoining a study must have its directions: one where the study has several
    /// is a mismatch, as several where its trials have one are.
    @Test func studyFilesRejoinOnlyWithTheStudysDirections() throws {
        let space = "space:\n  x1: {type: float, low: 0, high: 1}\n"
        let single = "name: d\ndirection: minimize\n" + space
        let several = "name: d\ndirections: [minimize, maximize]\n" + space
        let cases = [(first: several, then: single, reason: "directions [minimize, maximize], not [minimize]"),
                     (first: single, then: several, reason: "directions [minimize], not [minimize, maximize]")]
        for (index, (first, then, reason)) in cases.enumerated() {
            let url = "sqlite:" + temporaryDatabasePath("directions\(index)")
            let runner = try StudyRunner.start(yaml: first, storageURL: url)
            let trial = try #require(try runner.study.ask())
            if first == several {
                try runner.study.tell(trial, values: [1, 2])
            } else {
                try runner.study.tell(trial, .complete(1))
            }
            _ = try StudyRunner.start(yaml: first, storageURL: url)
            do {
                _ = try StudyRunner.start(yaml: then, storageURL: url)
                Issue.record("rejoined with other directions:\n\(then)")
            } catch let TuningError.studyMismatch(name, actual) {
                #expect(name == "d")
                #expect(actual == reason)
            }
        }
    }

    @Test func singleDirectionStudyFilesRecordNoDirections() throws {
        let runner = try StudyRunner.start(yaml: "name: s\nstorage: \"memory:\"\nspace:\n  x: {type: float, low: 0, high: 1}\n")
        #expect(try runner.study.storage.studyAttributes(study: runner.study.record.id)[Study.directionsKey] == nil)
        #expect(try runner.study.directions() == [.minimize])
    }

    @Test func studyFileReadsDirectionsAndPicksTheMultiObjectiveAuto() throws {
        let base = "name: a\ndirections: [minimize, minimize]\nspace:\n  x1: {type: float, low: 0, high: 1}\n  x2: {type: float, low: 0, high: 1}\n"
        let auto = try StudyFile(yaml: base)
        #expect(auto.directions == [.minimize, .minimize])
        #expect((auto.sampler as? MultiObjectiveAutoSampler)?.nsga2.directions == [.minimize, .minimize])
        #expect((try StudyFile(yaml: base + "sampler: {type: auto}").sampler as? MultiObjectiveAutoSampler)?.tpe.directions == [.minimize, .minimize])
        #expect((try StudyFile(yaml: base + "sampler: {type: tpe, candidates: 8}").sampler as? TPESampler)?.directions == [.minimize, .minimize])
        #expect((try StudyFile(yaml: "name: a\nspace:\n  x: {type: float, low: 0, high: 1}\nsampler: {type: tpe}\n").sampler as? TPESampler)?.directions == [])
        let explicit = try #require(try StudyFile(yaml: base + "sampler: {type: nsga2, population: 12}").sampler as? NSGA2Sampler)
        #expect(explicit.populationSize == 12)
        let objective = try #require(try StudyFile(yaml: base + "objective: {function: zdt2}").objective as? ParetoTestObjective)
        #expect(objective.function == .zdt2)
        #expect(try StudyFile(yaml: "name: a\nspace:\n  x: 1\n").directions == [.minimize])
    }

    @Test func studyFilesRunAndBestListsTheParetoSet() async throws {
        let yaml = """
            name: zdt
            directions: [minimize, minimize]
            storage: "memory:"
            space:
              x1: {type: float, low: 0, high: 1}
              x2: {type: float, low: 0, high: 1}
            sampler: {type: nsga2, population: 8}
            objective: {function: zdt1}
            """
        let runner = try StudyRunner.start(yaml: yaml)
        #expect(try runner.study.directions() == [.minimize, .minimize])
        let file = try StudyFile(yaml: yaml)
        try await runner.study.optimize(try #require(file.objective as? ParetoTestObjective), stop: [.trials(30)])
        let pareto = try runner.study.paretoTrials(directions: [.minimize, .minimize])
        #expect(!pareto.isEmpty)
        let text = ParetoSetText.text(pareto, directions: [.minimize, .minimize])
        #expect(text.hasPrefix("Pareto set: \(pareto.count) trial"))
        #expect(text.contains("trial \(pareto[0].number): values ["))
        #expect(try StudySummary.text(of: runner.study, run: nil).contains("Pareto set over minimize, minimize: \(pareto.count) trials"))

        var report = HTMLReport(name: "zdt", direction: .minimize, space: runner.study.space, trials: try runner.study.trials())
        #expect(!report.html().contains("<h2>Pareto front</h2>"))
        report.directions = [.minimize, .minimize]
        let html = report.html()
        #expect(html.contains("<h2>Pareto front</h2>"))
        #expect(html.contains("\(pareto.count) Pareto-optimal trial"))
    }

    /// Each broken file must fail with the key path and line of the culprit.
    @Test(arguments: [
        ("name: a\ndirection: minimize\ndirections: [minimize, maximize]\nspace:\n  x: 1\n", "direction", 2),
        ("name: a\ndirections: []\nspace:\n  x: 1\n", "directions", 2),
        ("name: a\ndirections: [minimize, upward]\nspace:\n  x: 1\n", "directions[1]", 2),
        ("name: a\ndirections: [minimize, minimize, minimize]\nspace:\n  x: 1\nobjective:\n  function: zdt1\n", "objective.function", 6),
        ("name: a\ndirections: [minimize, minimize]\nspace:\n  x: 1\nobjective:\n  function: branin\n", "objective.function", 6),
        ("name: a\ndirections: [maximize, minimize]\nspace:\n  x: 1\nobjective:\n  train: t.yaml\n", "objective", 6),
        ("name: a\ndirections: [minimize, minimize]\nspace:\n  x: 1\nsampler:\n  type: nsga2\n  population: 1\n", "sampler", 6),
        ("name: a\ndirections: [minimize, minimize]\nspace:\n  x: 1\nsampler: {type: nsga2, size: 4}\n", "sampler.size", 5),
        ("name: a\ndirections: [minimize, minimize]\nspace:\n  x: 1\nobjective:\n  function: dtlz2\n", "objective.function", 6),
        ("name: a\ndirections: [minimize, minimize]\nspace:\n  x: 1\nsampler: {type: tpe, population: 4}\n", "sampler.population", 5),
        ("name: a\ndirections: [minimize, minimize]\nspace:\n  x: 1\nsampler:\n  type: tpe\n  candidates: 0\n", "sampler", 6),
    ])
    func errorsNameKeyAndLine(yaml: String, key: String, line: Int) {
        expectStudyFileError(yaml, key: key, line: line)
    }
}
