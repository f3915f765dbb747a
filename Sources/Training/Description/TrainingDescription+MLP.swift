extension TrainingDescription {
    /// The YAML of a multilayer perceptron on a bundled data set, for `swifttune train` without
    /// a file: standardized features, ReLU hidden layers with dropout, Adam, early stopping on
    /// the validation loss. Flags then override its settings by name.
    public static func mlpYAML(dataset: BundledDataset, hiddenUnits: [Int], dropout: Double) throws -> String {
        let data = try dataset.load()
        let outputs = data.isClassification ? data.classCount : 1
        var layers = hiddenUnits.flatMap { units in
            ["  - dense: {units: \(units), activation: relu}"] + (dropout > 0 ? ["  - dropout: \(dropout)"] : [])
        }
        layers.append("  - dense: {units: \(outputs)}")
        return """
            seed: 0
            data:
              dataset: \(dataset.rawValue)
              validation: 0.15
              test: 0.15
            model:
            \(layers.joined(separator: "\n"))
            training:
              epochs: 30
              batch_size: 32
              optimizer: {name: adam, learning_rate: 0.001}
              early_stopping: {patience: 5}

            """
    }
}
