import Backend
import NN
import Training

/// Small models and data the trainer tests share.
enum TrainingFixtures {
    /// The bundled digits, standardized on the training part: (train, test), 80/20 stratified.
    static let digits: (train: Dataset, test: Dataset) = {
        do {
            let split = try BundledDataset.digits.load().split(validation: 0, test: 0.2, seed: 1)
            let scaler = try StandardScaler.fit(split.train)
            return (try scaler.transform(split.train), try scaler.transform(split.test))
        } catch {
            preconditionFailure("the bundled digits do not load: \(error)")
        }
    }()

    /// 64 → hidden (ReLU) → dropout → 10, seeded (the dropout stream separately).
    static func mlp(
        hidden: Int = 32, dropout: Float = 0.1, seed: UInt64 = 7, dropoutSeed: UInt64 = 8, on device: any Device
    ) throws -> Sequential {
        Sequential([
            try Dense(inputs: 64, outputs: hidden, activation: .relu, initializer: .heUniform, seed: seed, on: device),
            try Dropout(probability: dropout, seed: dropoutSeed),
            try Dense(inputs: hidden, outputs: 10, seed: seed + 2, on: device),
        ])
    }

    /// A small CNN on [1, 8, 8]: conv 3×3 1→8 (padding 1, ReLU) → max-pool 2 → flatten → 10.
    static func cnn(seed: UInt64 = 11, on device: any Device) throws -> Sequential {
        Sequential([
            try Conv2D(inputChannels: 1, outputChannels: 8, kernel: 3, padding: 1, activation: .relu, initializer: .heUniform, seed: seed, on: device),
            MaxPool2D(kernel: 2),
            Flatten(),
            try Dense(inputs: 8 * 4 * 4, outputs: 10, seed: seed + 1, on: device),
        ])
    }

    /// A trainer of `model` with Adam and accuracy.
    /// 64 → dense 32 (ReLU) "a" → dense 32 (ReLU) "b" → a + b → concat with a → dense 10 "head".
    static func residualGraph(on device: any Device) throws -> Graph {
        try Graph([
            .init("a", .layer(Dense(inputs: 64, outputs: 32, activation: .relu, initializer: .heUniform, seed: 21, on: device)), inputs: ["input"]),
            .init("b", .layer(Dense(inputs: 32, outputs: 32, activation: .relu, initializer: .heUniform, seed: 22, on: device)), inputs: ["a"]),
            .init("sum", .add, inputs: ["a", "b"]),
            .init("joined", .concat, inputs: ["sum", "a"]),
            .init("head", .layer(Dense(inputs: 64, outputs: 10, seed: 23, on: device)), inputs: ["joined"]),
        ])
    }

    static func trainer(_ model: any LayerContainer, learningRate: Float = 1e-2, on device: any Device) throws -> Trainer {
        Trainer(
            model: model, loss: .crossEntropy, optimizer: try Optimizer(.adam(), learningRate: learningRate),
            metrics: [.accuracy], device: device)
    }
}
