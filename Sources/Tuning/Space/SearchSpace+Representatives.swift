extension SearchSpace {
    /// A few configurations in which every parameter is active at least once: numbers at the
    /// middle of their ranges, choices at their middle one unless a conditional parameter needs
    /// another. Objectives are checked with them before a study's first trial.
    public func representativeConfigurations() -> [[String: ParameterValue]] {
        var configurations: [[String: ParameterValue]] = []
        var covered = Set<String>()
        for target in parameters where !covered.contains(target.name) {
            let wanted = activatingValues(for: target)
            let configuration = configuration { parameter, _ in
                wanted[parameter.name] ?? parameter.distribution.value(fromUnit: 0.5)
            }
            configurations.append(configuration)
            covered.formUnion(configuration.keys)
        }
        return configurations
    }

    /// Parent values that make `parameter` active: the first value of each condition up its chain
    /// of parents.
    private func activatingValues(for parameter: Parameter) -> [String: ParameterValue] {
        var wanted: [String: ParameterValue] = [:]
        var condition = parameter.condition
        while let current = condition, wanted[current.parent] == nil, let parent = self[current.parent],
              let value = parent.distribution.gridValues(floatPoints: 1).first(where: { choice in
                  current.values.contains { $0.matches(choice) }
              }) {
            wanted[current.parent] = value
            condition = parent.condition
        }
        return wanted
    }
}
