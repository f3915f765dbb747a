import ArgumentParser
import Tuning

/// The `--storage` and `--study` options of the verbs that read a study.
public struct StudyOptions: ParsableArguments {
    @Option(name: .long, help: "Where the study is: sqlite:PATH, a .db path, or postgres://USER@HOST:PORT/DB.")
    public var storage: String

    @Option(name: .long, help: "The study's name (default: the storage's only study).")
    public var study: String?

    public init() {}

    /// The chosen study, opened read-only (nothing is created or written) and without a sampler
    /// of its own (reading needs none).
    public func open() throws -> Study {
        let storage = try StorageURL.open(self.storage, readOnly: true)
        let name: String
        if let study {
            name = study
        } else {
            let all = try storage.studies()
            guard all.count == 1, let only = all.first else {
                throw ValidationError("the storage holds \(all.count) studies (\(all.map(\.name).joined(separator: ", "))); pick one with --study")
            }
            name = only.name
        }
        return try Study(loading: name, storage: storage, sampler: RandomSampler(), heartbeat: .off)
    }
}

extension TuningError {
    /// The error as a command-line validation error (printed without a stack of context).
    public var validation: ValidationError { ValidationError(description) }
}
