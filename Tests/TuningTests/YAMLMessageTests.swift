import Testing
import Training
import Tuning

/// Training descriptions and study files are read by one YAML reader: the same mistake gets the
/// same message, naming the file, the key path, the line and the column.
@Suite struct YAMLMessageTests {
    /// What reading `yaml` as a training description says.
    static func trainMessage(_ yaml: String) -> String {
        do {
            _ = try TrainingDescription.parse(yaml: yaml, file: "f.yaml")
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    /// What reading `yaml` as a study file says.
    static func studyMessage(_ yaml: String) -> String {
        do {
            _ = try StudyFile(yaml: yaml, file: "f.yaml")
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    /// Five lists of ten, each of aliases of the one before: 111,111 values in all.
    static let aliasBomb = "bomb: [" + (0..<5).map { level in
        "&a\(level) [" + Array(repeating: level == 0 ? "x" : "*a\(level - 1)", count: 10).joined(separator: ", ") + "]"
    }.joined(separator: ", ") + "]\n"

    static let train = "data: {dataset: digits}\nmodel: [flatten]\n"
    static let study = "name: s\nspace: {x: 1}\n"

    /// A mistake on the first line (or in the whole file), the rest of each file valid.
    @Test(arguments: [
        ("seed: many\n", "f.yaml:1:7: seed: expected an integer, found 'many'"),
        ("seed: 1.5\n", "f.yaml:1:7: seed: expected an integer, found '1.5'"),
        ("seed: \"3\"\n", "f.yaml:1:7: seed: expected an integer, found the text \"3\""),
        ("seed: [3]\n", "f.yaml:1:7: seed: expected an integer, found a list"),
        ("seed: -1\n", "f.yaml:1:7: seed: -1 must be at least 0"),
        ("seed: 1\nseed: 2\n", "f.yaml:1:1: seed: the key appears twice"),
        ("seed: [1\n", "f.yaml:2:5: YAML syntax: did not find expected ',' or ']'"),
        (YAMLMessageTests.aliasBomb, "f.yaml:1:252: the aliases (*name) expand to more than 100000 values, the most a YAML file may have"),
    ])
    func theSameMistakeGetsTheSameMessage(mistake: String, message: String) {
        #expect(Self.trainMessage(mistake + Self.train) == message)
        #expect(Self.studyMessage(mistake + Self.study) == message)
    }

    @Test func wholeFileMistakesGetTheSameMessage() {
        for yaml in ["", "# only a comment\n"] {
            #expect(Self.trainMessage(yaml) == "f.yaml: the file is empty")
            #expect(Self.studyMessage(yaml) == "f.yaml: the file is empty")
        }
        let large = String(repeating: "#", count: YAMLLimits.maximumBytes) + "\n"
        #expect(Self.trainMessage(large) == "f.yaml: the file is larger than 1 MiB (1048576 bytes), the most a YAML file may have")
        #expect(Self.studyMessage(large) == "f.yaml: the file is larger than 1 MiB (1048576 bytes), the most a YAML file may have")
    }

    /// The same kind of mistake at keys only one kind of file has: the same words.
    @Test(arguments: [
        ("seeds: 1\n" + train, "f.yaml:1:1: seeds: unknown key; expected one of seed, data, model, training, compression, init, freeze, fine_tune"),
        ("seeds: 1\n" + study,
         "f.yaml:1:1: seeds: unknown key; expected one of name, direction, directions, seed, storage, space, sampler, pruner, stop, enqueue, heartbeat, objective, scheduler"),
        ("data: {dataset: digits}\n", "f.yaml:1:1: missing the key 'model'"),
        ("name: s\n", "f.yaml:1:1: missing the key 'space'"),
        (train + "training: {epochs: many}\n", "f.yaml:3:20: training.epochs: expected an integer, found 'many'"),
        (study + "stop: {trials: many}\n", "f.yaml:3:16: stop.trials: expected an integer, found 'many'"),
        (train + "compression: {prune: lots}\n", "f.yaml:3:22: compression.prune: expected a number, found 'lots'"),
        (study + "stop: {seconds: lots}\n", "f.yaml:3:17: stop.seconds: expected a number, found 'lots'"),
        (train + "training: {optimizer: {name: lion}}\n", "f.yaml:3:30: training.optimizer.name: 'lion' is not one of sgd, rmsprop, adam, adamw"),
        (study + "direction: up\n", "f.yaml:3:12: direction: 'up' is not one of minimize, maximize"),
        (train + "training: [epochs]\n", "f.yaml:3:11: training: expected a mapping with the keys epochs, batch_size, loss, metrics, optimizer, schedule, early_stopping, checkpoint_every, gradient_sample_interval, found a list"),
        (study + "stop: [trials]\n", "f.yaml:3:7: stop: expected a mapping with the keys trials, seconds, no_improvement_trials, found a list"),
    ])
    func aKindOfMistakeGetsTheSameWords(yaml: String, message: String) {
        let found = yaml.contains("name: s") ? Self.studyMessage(yaml) : Self.trainMessage(yaml)
        #expect(found == message)
    }
}
