import Foundation
import Training

/// A study described in YAML: its name, direction, search space, sampler, pruner, stopping rules
/// and known-good configurations. The schema is documented in `docs/study-file.md`.
public struct StudyFile: Sendable {
    public var name: String
    public var direction: StudyDirection
    /// One direction per objective: `[direction]`, or the file's `directions:` (several objectives).
    public var directions: [StudyDirection]
    /// The seed that, with a trial's number, decides that trial's random draws.
    public var seed: UInt64
    /// Where trials are stored (`sqlite:PATH`, `memory:`, `postgres://...`), if the file says.
    public var storage: String?
    public var space: SearchSpace
    public var stop: [StopCondition]
    /// Configurations to evaluate before searching (possibly partial: the sampler fills the rest).
    public var enqueue: [[String: ParameterValue]]
    public var sampler: any Sampler
    public var pruner: any Pruner
    public var heartbeat: HeartbeatSettings
    /// The file's `scheduler: {type: pbt, ...}`: the study trains a population.
    public var population: PopulationSchedule?
    /// The file's `objective:` (a command, a training description or a test function), if it has one.
    public var objective: (any Objective)?

    /// The top-level keys a study file may have.
    static let topLevelKeys = [
        "name", "direction", "directions", "seed", "storage", "space", "sampler", "pruner", "stop", "enqueue", "heartbeat", "objective",
        "scheduler",
    ]

    /// Reads a study file; errors (`TuningError.studyFile`) name `file`, the key path and the
    /// line that is wrong.
    public init(yaml: String, file: String = "<string>") throws {
        do {
            try self.init(document: try YAMLValue(parsing: yaml, file: file))
        } catch let error as DescriptionError {
            throw TuningError.studyFile(error)
        }
    }

    /// Reads the study file at `path`.
    public init(contentsOf path: String) throws {
        try self.init(yaml: try Self.text(contentsOf: path), file: path)
    }

    /// The text of the study file at `path`; a file over 1 MiB is refused without reading it all.
    public static func text(contentsOf path: String) throws -> String {
        do {
            return try YAMLLimits.text(contentsOf: URL(fileURLWithPath: path))
        } catch let error as DescriptionError {
            throw TuningError.studyFile(error)
        }
    }

    private init(document: YAMLValue) throws {
        let fields = try document.mapping(allowedKeys: Self.topLevelKeys)
        name = try fields.required("name").string()
        guard !name.isEmpty else { throw try fields.required("name").error("the study name is empty") }
        directions = try Self.readDirections(fields)
        direction = directions[0]
        seed = UInt64(try fields["seed"]?.int(min: 0) ?? 0)
        storage = try fields["storage"]?.string()
        space = try Self.readSpace(try fields.required("space"))
        stop = try fields["stop"].map(Self.readStop) ?? []
        sampler = try Self.readSampler(fields["sampler"], space: space, directions: directions)
        pruner = try Self.readPruner(fields["pruner"])
        heartbeat = try Self.readHeartbeat(fields["heartbeat"])
        let studyName = name, directions = directions
        objective = try fields["objective"].map { try Self.readObjective($0, studyName: studyName, directions: directions) }
        let searchSpace = space
        population = try fields["scheduler"].map { try Self.readScheduler($0, fields: fields, space: searchSpace, directions: directions) }
        if var training = objective as? TrainingObjective, let population {
            training.population = population
            objective = training
        }
        enqueue = []
        for entry in try fields["enqueue"]?.sequence() ?? [] {
            enqueue.append(try Self.readConfiguration(entry, in: space))
        }
    }

    private static func readStop(_ value: YAMLValue) throws -> [StopCondition] {
        let fields = try value.mapping(allowedKeys: ["trials", "seconds", "no_improvement_trials"])
        var conditions: [StopCondition] = []
        if let trials = fields["trials"] { conditions.append(.trials(try trials.int(min: 1))) }
        if let seconds = fields["seconds"] { conditions.append(.duration(try seconds.double(above: 0))) }
        if let patience = fields["no_improvement_trials"] { conditions.append(.noImprovement(trials: try patience.int(min: 1))) }
        return conditions
    }

    private static func readConfiguration(_ value: YAMLValue, in space: SearchSpace) throws -> [String: ParameterValue] {
        let fields = try value.mapping()
        var configuration: [String: ParameterValue] = [:]
        for (name, entry) in fields.entries {
            configuration[name] = try entry.parameterValue()
        }
        do {
            return try space.validated(configuration, partial: true)
        } catch let TuningError.invalidConfiguration(parameter, reason) {
            throw (fields[parameter] ?? value).error(reason)
        }
    }
}
