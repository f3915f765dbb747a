import Training

extension StudyFile {
    /// The keys of `scheduler: {type: pbt, ...}`.
    static let populationKeys = [
        "type", "population", "interval_epochs", "generations", "fraction", "perturb", "resample_probability", "fixed",
    ]

    /// Reads `scheduler:` (only `type: pbt`, population-based training). A training objective,
    /// one direction and no pruner are required; every error names its key and line.
    static func readScheduler(_ value: YAMLValue, fields top: YAMLMapping, space: SearchSpace, directions: [StudyDirection]) throws -> PopulationSchedule {
        let fields = try value.mapping(allowedKeys: populationKeys)
        _ = try fields.required("type").choice(["pbt"])
        let defaults = PopulationSchedule(population: 2, intervalEpochs: 1, generations: 1)
        let schedule = PopulationSchedule(
            population: try fields.required("population").int(min: 2),
            intervalEpochs: try fields.required("interval_epochs").int(min: 1),
            generations: try fields.required("generations").int(min: 1),
            fraction: try fields["fraction"]?.double(above: 0, atMost: 0.5) ?? defaults.fraction,
            perturbFactors: try fields["perturb"].map { list in try list.sequence().map { try $0.double(above: 0) } } ?? defaults.perturbFactors,
            resampleProbability: try fields["resample_probability"]?.double(atLeast: 0, atMost: 1) ?? defaults.resampleProbability,
            fixed: Set(try fields["fixed"]?.sequence().map { try $0.string() } ?? []))
        do {
            try schedule.validate(for: space)
        } catch let TuningError.invalidSettings(_, reason) {
            let key = String(reason.prefix { $0 != ":" })
            throw (fields[key] ?? value).error(reason)
        }
        if directions.count > 1 { throw value.error("population-based training optimizes one direction, not \(directions.count)") }
        if let pruner = top["pruner"] {
            throw pruner.error("population-based training replaces pruning (its worst members copy the best); remove the pruner")
        }
        if let enqueue = top["enqueue"] {
            throw enqueue.error("population-based training draws its first generation itself; remove enqueue")
        }
        if let heartbeat = top["heartbeat"], try readHeartbeat(heartbeat).interval == 0 {
            throw heartbeat.error("population-based training needs heartbeats (interval_seconds above 0): the members of a dead worker must be found and trained again")
        }
        guard let objective = top["objective"], (try objective.mapping())["train"] != nil else {
            throw value.error("population-based training needs a training objective (objective: {train: FILE, ...})")
        }
        return schedule
    }
}
