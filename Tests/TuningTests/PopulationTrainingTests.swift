import Foundation
import Testing
import Training
@testable import Tuning

/// Population-based training of examples/digits-tune.yaml on the CPU: checkpoints carry a member
/// from one generation to the next, to the member that copies it, and across a killed worker.
@Suite struct PopulationTrainingTests {
    static let description = TrainingObjectiveTests.description

    /// A population study in a fresh SQLite file (its weights folder holds the checkpoints).
    func runner(name: String, population: Int = 2, interval: Int, generations: Int, space: String? = nil, fixed: String = "[]") throws -> StudyRunner {
        try StudyRunner.start(yaml: """
            name: \(name)
            direction: maximize
            seed: 5
            storage: "sqlite:\(temporaryDatabasePath(name))"
            space:
            \(space ?? """
              learning_rate: {type: float, low: 1.0e-3, high: 1.0e-2, log: true}
              dropout: {type: float, low: 0.0, high: 0.4}
            """)
            scheduler: {type: pbt, population: \(population), interval_epochs: \(interval), generations: \(generations), fraction: 0.5, fixed: \(fixed)}
            objective: {train: "\(Self.description)", metric: val_accuracy, device: cpu, keep_weights: none}
            """)
    }

    func weightsFolder(_ runner: StudyRunner) throws -> URL {
        try #require(TrialWeights.folder(storageURL: runner.storageURL, study: runner.file.name))
    }

    /// Runs the next trial the study hands out with the runner's objective.
    func runNext(_ runner: StudyRunner) async throws -> TrialRecord {
        var objective = try #require(runner.file.objective as? TrainingObjective)
        objective.weightsFolder = try weightsFolder(runner)
        let trial = try #require(try runner.study.ask())
        return try runner.study.tell(trial, .complete(try await objective.evaluate(trial)))
    }

    @Test func theWorseMemberContinuesFromTheBetterOnesWeightsAndOptimizerState() async throws {
        let runner = try runner(name: "pbt-exploit", interval: 1, generations: 2)
        let summary = try await runner.run()
        #expect(summary.completed == 4)
        let trials = try runner.study.trials()
        let slots = try #require(runner.study.populationPlan).slots(trials)
        let first = slots[0].map { $0!.value! }
        let best = first[0] >= first[1] ? 0 : 1
        let copier = 1 - best
        let copied = try #require(slots[1][copier])
        #expect(copied.populationMember?.copiedFrom == best)
        #expect(copied.intermediateValues.keys.sorted() == [2])
        let folder = try weightsFolder(runner)
        let donorFile = try SafeTensors.read(TrainingObjective.memberCheckpoint(folder, member: best, generation: 0))
        let copierFile = try SafeTensors.read(TrainingObjective.memberCheckpoint(folder, member: copier, generation: 1))
        // The copier's history starts with the donor's first epoch, and Adam's step count went on
        // from the donor's: its optimizer state came along with the weights.
        let donorHistory = try JSONDecoder().decode(TrainingHistory.self, from: Data(try #require(donorFile.metadata["history"]).utf8))
        let copierHistory = try JSONDecoder().decode(TrainingHistory.self, from: Data(try #require(copierFile.metadata["history"]).utf8))
        #expect(copierHistory.epochs.count == 2)
        #expect(copierHistory.epochs.first == donorHistory.epochs.first)
        let steps = try #require(donorFile.metadata["optimizer_step"].flatMap(Int.init))
        #expect(copierFile.metadata["optimizer_step"] == String(2 * steps))
        // It trained its second epoch at its own (explored) learning rate.
        let rate = try #require(copied.params["learning_rate"]?.doubleValue)
        #expect(copierFile.metadata["learning_rate"] == "\(Float(rate))")
        #expect(copied.params != slots[0][best]?.params)
    }

    @Test func aMemberKilledMidGenerationGoesOnFromItsLastEpoch() async throws {
        // The uninterrupted member 0: two epochs in generation 0.
        let whole = try runner(name: "pbt-whole", interval: 2, generations: 1)
        let uninterrupted = try await runNext(whole)
        #expect(uninterrupted.populationMember?.member == 0)
        // A worker that trained member 0's first epoch and died: its checkpoint after epoch 1
        // (the same member of a population with one-epoch generations trains the same epoch).
        let short = try runner(name: "pbt-short", interval: 1, generations: 1)
        _ = try await runNext(short)
        let killed = try runner(name: "pbt-killed", interval: 2, generations: 1)
        let saved = TrainingObjective.memberCheckpoint(try weightsFolder(killed), member: 0, generation: 0)
        try FileManager.default.createDirectory(at: saved.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TrainingObjective.memberCheckpoint(try weightsFolder(short), member: 0, generation: 0), to: saved)
        let resumed = try await runNext(killed)
        #expect(resumed.populationMember?.member == 0)
        // Only epoch 2 was trained again, and it ends where the uninterrupted run ended.
        #expect(resumed.intermediateValues.keys.sorted() == [2])
        #expect(resumed.value == uninterrupted.value)
        #expect(resumed.intermediateValues[2] == uninterrupted.intermediateValues[2])
    }

    @Test func perturbingALayerSizeIsRefusedUnlessItIsFixed() async throws {
        let space = """
              learning_rate: {type: float, low: 1.0e-3, high: 1.0e-2, log: true}
              hidden_units: {type: int, low: 16, high: 64}
            """
        let refused = try runner(name: "pbt-units", interval: 1, generations: 1, space: space)
        await #expect {
            try await refused.run()
        } throws: { error in
            "\(error)".contains("'hidden_units' changes the model's weights") && "\(error)".contains("scheduler.fixed")
        }
        #expect(try refused.study.trials().isEmpty)
        let fixed = try runner(name: "pbt-units-fixed", interval: 1, generations: 1, space: space, fixed: "[hidden_units]")
        try fixed.checkObjective()
    }
}
