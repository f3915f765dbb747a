import Foundation
import Testing
@testable import Tuning

/// Studies with an SQLite storage keep their trials' weights next to it; `best --export` copies
/// the best one into a run folder that `predict` reads.
@Suite struct TrialWeightsTests {
    /// A study of 3 trials of 2 epochs over the digits description, stored in `folder/s.sqlite`.
    private func runStudy(in folder: URL, keep: String?) async throws -> StudyRunner {
        let runner = try StudyRunner.start(yaml: """
            name: kept
            direction: maximize
            storage: "sqlite:\(folder.appendingPathComponent("s.sqlite").path)"
            space:
              hidden_units: [4, 16, 64]
              epochs: 2
            sampler: {type: grid}
            stop: {trials: 3}
            objective: {train: "\(TrainingObjectiveTests.description)", metric: val_accuracy, device: cpu\(keep.map { ", keep_weights: \($0)" } ?? "")}
            """)
        let summary = try await runner.run()
        #expect(summary.completed == 3)
        return runner
    }

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swifttune-weights-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    private func keptTrials(in folder: URL) throws -> [String] {
        let weights = folder.appendingPathComponent("s.weights/kept")
        return try FileManager.default.contentsOfDirectory(atPath: weights.path).sorted()
    }

    @Test func theBestTrialKeepsItsRunFolderByDefaultAndBestExportsIt() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let runner = try await runStudy(in: folder, keep: nil)
        let trials = try runner.study.trials()
        let bestValue = try #require(trials.compactMap(\.value).max())
        let kept = try keptTrials(in: folder)
        #expect(kept == trials.filter { $0.value == bestValue }.map { "trial-\($0.number)" }.sorted())
        let best = try #require(try runner.study.bestTrial())
        let trialFolder = folder.appendingPathComponent("s.weights/kept/trial-\(best.number)")
        for file in ["model.safetensors", "preprocessing.json", "trial.json"] {
            #expect(FileManager.default.fileExists(atPath: trialFolder.appendingPathComponent(file).path), "\(file)")
        }

        guard SwiftTuneCommand.isBuilt else { return }
        let storage = "sqlite:" + folder.appendingPathComponent("s.sqlite").path
        let export = try SwiftTuneCommand.run(["best", "--storage", storage, "--export", "best-run"], in: folder)
        #expect(export.status == 0, "\(export.output)")
        let digits = StudyFileTests.repositoryRoot.appendingPathComponent("Sources/Training/Resources/digits.csv").path
        let evaluation = try SwiftTuneCommand.run(["evaluate", "best-run", "--data", digits, "--device", "cpu"], in: folder)
        #expect(evaluation.status == 0 && evaluation.output.contains("accuracy"), "\(evaluation.output)")
    }

    @Test func allKeepsEveryTrialAndNoneKeepsNothing() async throws {
        let all = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: all) }
        _ = try await runStudy(in: all, keep: "all")
        #expect(try keptTrials(in: all) == ["trial-0", "trial-1", "trial-2"])
        if SwiftTuneCommand.isBuilt {
            let storage = "sqlite:" + all.appendingPathComponent("s.sqlite").path
            let chosen = try SwiftTuneCommand.run(["best", "--storage", storage, "--export", "chosen", "--trial", "1"], in: all)
            #expect(chosen.status == 0 && chosen.output.contains("exported trial 1"), "\(chosen.output)")
            let record = try String(contentsOf: all.appendingPathComponent("chosen/trial.json"), encoding: .utf8)
            #expect(record == (try String(contentsOf: all.appendingPathComponent("s.weights/kept/trial-1/trial.json"), encoding: .utf8)))
            let missing = try SwiftTuneCommand.run(["best", "--storage", storage, "--export", "other", "--trial", "9"], in: all)
            #expect(missing.status != 0 && missing.output.contains("no complete trial 9"), "\(missing.output)")
            let alone = try SwiftTuneCommand.run(["best", "--storage", storage, "--trial", "1"], in: all)
            #expect(alone.status != 0 && alone.output.contains("--export"), "\(alone.output)")
        }

        let none = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: none) }
        _ = try await runStudy(in: none, keep: "none")
        #expect(!FileManager.default.fileExists(atPath: none.appendingPathComponent("s.weights").path))
    }

    @Test func theWeightsFolderFollowsTheStorage() {
        #expect(TrialWeights.folder(storageURL: "sqlite:/data/studies.sqlite", study: "a/b")?.path == "/data/studies.weights/a_b")
        #expect(TrialWeights.folder(storageURL: "/data/x.db", study: "s")?.path == "/data/x.weights/s")
        #expect(TrialWeights.folder(storageURL: "memory:", study: "s") == nil)
        #expect(TrialWeights.folder(storageURL: "postgres://u@h/db", study: "s")?.path.hasSuffix("/runs/studies/s") == true)
    }

    @Test func anUnknownPolicyIsAnErrorNamingTheKey() throws {
        #expect(throws: (any Error).self) {
            try StudyRunner.start(yaml: """
                name: bad
                direction: maximize
                storage: "memory:"
                space: {hidden_units: [4]}
                objective: {train: "\(TrainingObjectiveTests.description)", metric: val_accuracy, keep_weights: some}
                """)
        }
    }
}
