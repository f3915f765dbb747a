import Training

extension StudyFile {
    /// Reads `sampler:`: a `type` and that sampler's settings.
    /// `auto` is `MultiObjectiveAutoSampler` when the study has several directions.
    static func readSampler(_ value: YAMLValue?, space: SearchSpace, directions: [StudyDirection]) throws -> any Sampler {
        guard let value else { return autoSampler(directions: directions) }
        let fields = try value.mapping()
        let type = try fields.required("type").choice(["auto", "tpe", "gp", "genetic", "random", "sobol", "grid", "nsga2"])
        return try settingsErrors(at: value) {
            let sampler = try makeSampler(type, value: value, fields: fields, space: space, directions: directions)
            try sampler.validate(for: space)
            return sampler
        }
    }

    /// The default sampler for `directions`.
    private static func autoSampler(directions: [StudyDirection]) -> any Sampler {
        directions.count > 1 ? MultiObjectiveAutoSampler(directions: directions) : AutoSampler()
    }

    private static func makeSampler(
        _ type: String, value: YAMLValue, fields: YAMLMapping, space: SearchSpace, directions: [StudyDirection]
    ) throws -> any Sampler {
        switch type {
        case "auto":
            _ = try value.mapping(allowedKeys: ["type"])
            return autoSampler(directions: directions)
        case "nsga2":
            _ = try value.mapping(allowedKeys: ["type", "population", "crossover_rate", "mutation_rate"])
            let defaults = NSGA2Sampler(directions: directions)
            return NSGA2Sampler(
                directions: directions, populationSize: try fields["population"]?.int() ?? defaults.populationSize,
                crossoverRate: try fields["crossover_rate"]?.double() ?? defaults.crossoverRate,
                mutationRate: try fields["mutation_rate"]?.double())
        case "random":
            _ = try value.mapping(allowedKeys: ["type"])
            return RandomSampler()
        case "sobol":
            _ = try value.mapping(allowedKeys: ["type", "scramble"])
            return SobolSampler(scramble: try fields["scramble"]?.bool() ?? true)
        case "grid":
            _ = try value.mapping(allowedKeys: ["type", "float_points", "shuffle", "values"])
            var values: [String: [ParameterValue]] = [:]
            for (name, list) in try fields["values"]?.mapping().entries ?? [] {
                guard space[name] != nil else { throw list.error("not a parameter of the space") }
                values[name] = try list.sequence().map { try $0.parameterValue() }
            }
            return GridSampler(
                floatPoints: try fields["float_points"]?.int() ?? 5, values: values, shuffle: try fields["shuffle"]?.bool() ?? false)
        case "tpe":
            _ = try value.mapping(allowedKeys: ["type", "startup_trials", "candidates", "multivariate", "constant_liar", "prior_weight"])
            let defaults = TPESampler()
            return TPESampler(
                startupTrials: try fields["startup_trials"]?.int() ?? defaults.startupTrials,
                candidates: try fields["candidates"]?.int() ?? defaults.candidates,
                multivariate: try fields["multivariate"]?.bool() ?? defaults.multivariate,
                constantLiar: try fields["constant_liar"]?.bool() ?? defaults.constantLiar,
                priorWeight: try fields["prior_weight"]?.double() ?? defaults.priorWeight,
                directions: directions.count > 1 ? directions : [])
        case "gp":
            _ = try value.mapping(allowedKeys: ["type", "startup_trials", "candidates", "model_trials", "oblique"])
            let defaults = GPSampler()
            return GPSampler(
                startupTrials: try fields["startup_trials"]?.int() ?? defaults.startupTrials,
                candidates: try fields["candidates"]?.int() ?? defaults.candidates,
                maximumModelTrials: try fields["model_trials"]?.int() ?? defaults.maximumModelTrials,
                oblique: try fields["oblique"]?.bool() ?? defaults.oblique)
        default:  // genetic
            _ = try value.mapping(allowedKeys: [
                "type", "population_size", "tournament_size", "crossover_rate", "mutation_rate", "mutation_scale",
            ])
            let defaults = GeneticSampler()
            return GeneticSampler(
                populationSize: try fields["population_size"]?.int() ?? defaults.populationSize,
                tournamentSize: try fields["tournament_size"]?.int() ?? defaults.tournamentSize,
                crossoverRate: try fields["crossover_rate"]?.double() ?? defaults.crossoverRate,
                mutationRate: try fields["mutation_rate"]?.double(),
                mutationScale: try fields["mutation_scale"]?.double() ?? defaults.mutationScale)
        }
    }

    /// Reads `pruner:`: a `type` and that pruner's settings.
    static func readPruner(_ value: YAMLValue?) throws -> any Pruner {
        guard let value else { return NoPruner() }
        let fields = try value.mapping()
        let type = try fields.required("type").choice(["none", "median", "percentile", "asha", "hyperband"])
        let percentileKeys = ["type", "startup_trials", "warmup_steps", "interval_steps", "min_trials"]
        return try settingsErrors(at: value) {
            switch type {
            case "none":
                _ = try value.mapping(allowedKeys: ["type"])
                return NoPruner()
            case "median":
                _ = try value.mapping(allowedKeys: percentileKeys)
                return try MedianPruner(
                    startupTrials: try fields["startup_trials"]?.int() ?? 5, warmupSteps: try fields["warmup_steps"]?.int() ?? 0,
                    intervalSteps: try fields["interval_steps"]?.int() ?? 1, minimumTrials: try fields["min_trials"]?.int() ?? 1)
            case "percentile":
                _ = try value.mapping(allowedKeys: percentileKeys + ["percentile"])
                return try PercentilePruner(
                    percentile: try fields.required("percentile").double(),
                    startupTrials: try fields["startup_trials"]?.int() ?? 5, warmupSteps: try fields["warmup_steps"]?.int() ?? 0,
                    intervalSteps: try fields["interval_steps"]?.int() ?? 1, minimumTrials: try fields["min_trials"]?.int() ?? 1)
            case "asha":
                _ = try value.mapping(allowedKeys: ["type", "min_resource", "reduction_factor", "min_early_stopping_rate"])
                return try SuccessiveHalvingPruner(
                    minimumResource: try fields["min_resource"]?.int() ?? 1,
                    reductionFactor: try fields["reduction_factor"]?.int() ?? 3,
                    minimumEarlyStoppingRate: try fields["min_early_stopping_rate"]?.int() ?? 0)
            default:  // hyperband
                _ = try value.mapping(allowedKeys: ["type", "min_resource", "max_resource", "reduction_factor"])
                return try HyperbandPruner(
                    minimumResource: try fields["min_resource"]?.int() ?? 1,
                    maximumResource: try fields.required("max_resource").int(),
                    reductionFactor: try fields["reduction_factor"]?.int() ?? 3)
            }
        }
    }

    /// Reads `heartbeat:`.
    static func readHeartbeat(_ value: YAMLValue?) throws -> HeartbeatSettings {
        guard let value else { return HeartbeatSettings() }
        let fields = try value.mapping(allowedKeys: ["interval_seconds", "grace_seconds", "requeue"])
        let defaults = HeartbeatSettings()
        let settings = HeartbeatSettings(
            interval: try fields["interval_seconds"]?.double() ?? defaults.interval,
            gracePeriod: try fields["grace_seconds"]?.double() ?? defaults.gracePeriod,
            requeue: try fields["requeue"]?.bool() ?? defaults.requeue)
        guard settings.interval >= 0, settings.gracePeriod > settings.interval else {
            throw value.error("needs interval_seconds ≥ 0 and grace_seconds above it")
        }
        return settings
    }

    /// Reads `objective:`: `{function: NAME}`, `{train: FILE, ...}` or a command.
    /// A multi-objective study takes a test function with as many objectives (`zdt1`, `zdt2`:
    /// two; `dtlz2`: three) or training;
    /// a single-objective one the other test functions.
    static func readObjective(_ value: YAMLValue, studyName: String, directions: [StudyDirection]) throws -> any Objective {
        let fields = try value.mapping()
        if fields["train"] != nil { return try readTraining(value, directions: directions) }
        guard let functionValue = fields["function"] else { return try readCommand(value, studyName: studyName) }
        _ = try value.mapping(allowedKeys: ["function"])
        if directions.count > 1 {
            let function = try functionValue.choice(ParetoTestObjective.Function.self)
            guard directions.count == function.objectiveCount else {
                throw functionValue.error(
                    "\(function.rawValue) has \(function.objectiveCount) objectives, but the study has \(directions.count) directions")
            }
            return ParetoTestObjective(function)
        }
        return TestFunctionObjective(try functionValue.choice(TestFunctionObjective.Function.self))
    }

    /// Reads a command objective: `command` is a list of arguments, or one string run by `sh -c`.
    /// Each trial's output goes to `log_directory` (default `logs/STUDY`).
    static func readCommand(_ value: YAMLValue, studyName: String) throws -> CommandObjective {
        let fields = try value.mapping(allowedKeys: [
            "command", "timeout_seconds", "append_arguments", "working_directory", "environment", "log_directory",
            "termination_grace_seconds",
        ])
        let commandValue = try fields.required("command")
        let command: CommandObjective.Command
        if commandValue.isScalar {
            let script = try commandValue.string()
            guard !script.allSatisfy(\.isWhitespace) else { throw commandValue.error("the command is empty") }
            command = .shell(script)
        } else {
            let arguments = try commandValue.sequence().map { try $0.parameterValue().description }
            guard !arguments.isEmpty else { throw commandValue.error("the command is empty") }
            command = .arguments(arguments)
        }
        var environment: [String: String] = [:]
        for (name, entry) in try fields["environment"]?.mapping().entries ?? [] {
            environment[name] = try entry.parameterValue().description
        }
        let timeout = try fields["timeout_seconds"]?.double(above: 0)
        let grace = try fields["termination_grace_seconds"]?.double(atLeast: 0) ?? 2
        let logDirectory = try fields["log_directory"]?.string() ?? defaultLogDirectory(studyName: studyName)
        return CommandObjective(
            command: command, workingDirectory: try fields["working_directory"]?.string(), timeout: timeout,
            appendArguments: try fields["append_arguments"]?.bool() ?? false, environment: environment, studyName: studyName,
            logDirectory: logDirectory, terminationGrace: grace)
    }

    /// `logs/NAME`, relative to where `swifttune` runs (the name made safe as one folder name).
    static func defaultLogDirectory(studyName: String) -> String {
        "logs/" + FileNames.safe(studyName)
    }

    /// Reports a component's settings error at the component's key and line.
    private static func settingsErrors<T>(at value: YAMLValue, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let TuningError.invalidSettings(component, reason) {
            throw value.error("\(component): \(reason)")
        }
    }
}
