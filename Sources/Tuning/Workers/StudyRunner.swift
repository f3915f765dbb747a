import Foundation

/// Runs the study a study file describes: what `swifttune tune` and `swifttune worker` do.
///
/// The file's text is stored with the study (without a password in its storage URL), so a
/// worker on another machine joins with only the storage URL and the study name.
public struct StudyRunner: Sendable {
    public let file: StudyFile
    public let study: Study
    public let storageURL: String

    /// The study attribute that holds the study file.
    public static let studyFileKey = "study_file"

    /// Creates (or resumes) the study of a study file (`fileName` names it in errors).
    /// `storageURL` overrides the file's storage. The file's `enqueue` configurations are queued
    /// only when the study has no trials yet.
    public static func start(yaml: String, fileName: String = "<string>", storageURL: String? = nil) throws -> StudyRunner {
        let file = try StudyFile(yaml: yaml, file: fileName)
        let url = storageURL ?? file.storage ?? StorageURL.defaultURL(forStudy: file.name)
        let storage = try StorageURL.open(url)
        let study = try Study(
            name: file.name, space: file.space, direction: file.direction, seed: file.seed, storage: storage,
            sampler: file.sampler, pruner: file.pruner, heartbeat: file.heartbeat, population: file.population)
        try study.setDirections(file.directions)
        try storage.setStudyAttribute(study: study.record.id, key: studyFileKey, value: try StudyFile.storedText(of: yaml, file: fileName, storage: file.storage))
        if try study.trials().isEmpty {
            for configuration in file.enqueue { try study.enqueue(configuration) }
            // A new population must not continue checkpoints left by an earlier study of this name.
            if file.population != nil, let folder = TrialWeights.folder(storageURL: url, study: file.name) {
                try? FileManager.default.removeItem(at: TrainingObjective.populationFolder(folder))
            }
        }
        return StudyRunner(file: file, study: study, storageURL: url)
    }

    /// Joins an existing study, with the study file stored in it.
    public static func join(study name: String, storageURL: String) throws -> StudyRunner {
        let storage = try StorageURL.open(storageURL)
        guard let record = try storage.study(named: name) else { throw TuningError.studyNotFound(name) }
        guard let yaml = try storage.studyAttributes(study: record.id)[studyFileKey] else {
            throw TuningError.storage("study '\(name)' has no stored study file (was it created by swifttune tune?)")
        }
        let file = try StudyFile(yaml: yaml, file: "<study file stored with \(name)>")
        let study = try Study(
            loading: name, storage: storage, sampler: file.sampler, pruner: file.pruner, heartbeat: file.heartbeat,
            population: file.population)
        return StudyRunner(file: file, study: study, storageURL: storageURL)
    }

    /// Throws if the file's objective could evaluate no trial of the study (see `Objective.check`).
    public func checkObjective() throws {
        try file.objective?.check(for: study.space)
    }

    /// Runs trials until the file's stop conditions (or `stop`, when given) are met, showing
    /// progress on `display` (a line per trial this process finishes; on a terminal, a live
    /// status line too). `objective` replaces the file's; `concurrency` trials run at once as
    /// tasks of this process.
    public func run(
        objective: (any Objective)? = nil, stop: [StopCondition]? = nil, concurrency: Int = 1, display: ProgressDisplay? = nil
    ) async throws -> OptimizationSummary {
        guard var objective = objective ?? file.objective else {
            throw TuningError.invalidSettings(component: "study '\(file.name)'", reason: "the study file has no objective")
        }
        if var training = objective as? TrainingObjective, training.weightsFolder == nil {
            training.weightsFolder = TrialWeights.folder(storageURL: storageURL, study: file.name)
                ?? (file.population != nil ? Self.temporaryWeightsFolder(study: file.name) : nil)
            objective = training
        }
        let conditions = stop ?? file.stop
        display?.begin(ProgressReport(direction: file.direction, conditions: conditions), study: study)
        defer { display?.end() }
        return try await study.optimize(objective, stop: conditions, concurrency: concurrency) { trial, history in
            display?.trialFinished(trial, history: history)
        }
    }

    /// A fresh folder for the checkpoints of a population trained in a `memory:` storage.
    private static func temporaryWeightsFolder(study: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("swifttune-\(FileNames.safe(study))-\(UUID().uuidString)")
    }
}
