import Foundation
import Yams

/// A study described in YAML: its name, direction, search space, sampler, pruner, stopping rules
/// and known-good configurations. The schema is documented in `docs/study-file.md`.
public struct StudyFile: Sendable {
    public var name: String
    public var direction: StudyDirection
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
    /// The file's `objective:` (a command, a training description or a test function), if it has one.
    public var objective: (any Objective)?

    /// The top-level keys a study file may have.
    static let topLevelKeys: Set<String> = [
        "name", "direction", "seed", "storage", "space", "sampler", "pruner", "stop", "enqueue", "objective", "heartbeat",
    ]

    /// Reads a study file; errors name the key and line that is wrong.
    public init(yaml: String) throws {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw TuningError.studyFile(key: "(document)", line: Self.line(of: error), reason: "not valid YAML: \(error)")
        }
        guard let root else { throw TuningError.studyFile(key: "(document)", line: nil, reason: "the file is empty") }
        let document = YAMLValue(node: root, path: "")
        let fields = try document.mapping(allowedKeys: Self.topLevelKeys)

        name = try fields.required("name").string()
        guard !name.isEmpty else { throw try fields.required("name").error("the study name is empty") }
        if let value = fields["direction"] {
            guard let direction = StudyDirection(rawValue: try value.string()) else {
                throw value.error("expected minimize or maximize")
            }
            self.direction = direction
        } else {
            direction = .minimize
        }
        if let value = fields["seed"] {
            let seed = try value.int()
            guard seed >= 0 else { throw value.error("the seed must not be negative") }
            self.seed = UInt64(seed)
        } else {
            seed = 0
        }
        storage = try fields["storage"]?.string()
        let spaceValue = try fields.required("space")
        space = try Self.readSpace(spaceValue)
        stop = try fields["stop"].map(Self.readStop) ?? []
        sampler = try Self.readSampler(fields["sampler"], space: space)
        pruner = try Self.readPruner(fields["pruner"])
        heartbeat = try Self.readHeartbeat(fields["heartbeat"])
        let studyName = name, direction = direction
        objective = try fields["objective"].map { try Self.readObjective($0, studyName: studyName, direction: direction) }
        enqueue = []
        for entry in try fields["enqueue"]?.sequence() ?? [] {
            enqueue.append(try Self.readConfiguration(entry, in: space))
        }
    }

    /// Reads the study file at `path`.
    public init(contentsOf path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw TuningError.studyFile(key: "(document)", line: nil, reason: "cannot read \(path): \(error.localizedDescription)")
        }
        try self.init(yaml: text)
    }

    private static func readStop(_ value: YAMLValue) throws -> [StopCondition] {
        let fields = try value.mapping(allowedKeys: ["trials", "seconds", "no_improvement_trials"])
        var conditions: [StopCondition] = []
        if let trials = fields["trials"] {
            let count = try trials.int()
            guard count > 0 else { throw trials.error("must be at least 1") }
            conditions.append(.trials(count))
        }
        if let seconds = fields["seconds"] {
            let duration = try seconds.double()
            guard duration > 0 else { throw seconds.error("must be positive") }
            conditions.append(.duration(duration))
        }
        if let patience = fields["no_improvement_trials"] {
            let count = try patience.int()
            guard count > 0 else { throw patience.error("must be at least 1") }
            conditions.append(.noImprovement(trials: count))
        }
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

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _):
            return mark.line
        default:
            return nil
        }
    }
}
