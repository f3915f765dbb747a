import Backend
import NN

/// The optimizer a description asks for.
public struct OptimizerDescription: Sendable, Equatable {
    public var rule: OptimizerRule
    public var learningRate: Float
    public var weightDecay: Float
    public var l1: Float
    public var clipNorm: Float?
    /// RMSprop's and Adam's ε; nil takes the default.
    public var epsilon: Float? = nil

    /// A fresh optimizer with these settings.
    public func make() throws -> Optimizer {
        try Optimizer(rule, learningRate: learningRate, weightDecay: weightDecay, l1: l1, clipNorm: clipNorm, epsilon: epsilon)
    }

    /// The settings every optimizer takes.
    static let commonSettings = ["name", "learning_rate", "weight_decay", "l1", "clip_norm"]
    /// The settings of each optimizer beyond the common ones.
    static let settings = [
        "sgd": ["momentum", "nesterov"], "rmsprop": ["decay", "momentum", "centered", "epsilon"],
        "adam": ["beta1", "beta2", "epsilon"], "adamw": ["beta1", "beta2", "epsilon"],
    ]

    /// Reads `training.optimizer`. A setting the chosen optimizer does not use (momentum under
    /// adam) is an error naming both; a study that switches optimizers makes such settings
    /// conditional on the optimizer (`when: {optimizer: [sgd, rmsprop]}`).
    static func parse(_ node: YAMLValue) throws -> OptimizerDescription {
        let allSettings = commonSettings + ["momentum", "nesterov", "beta1", "beta2", "decay", "centered", "epsilon"]
        let fields = try node.mapping(allowedKeys: allSettings)
        let name = try fields["name"]?.choice(["sgd", "rmsprop", "adam", "adamw"]) ?? "adam"
        let own = settings[name] ?? []
        for (key, value) in fields.entries where !commonSettings.contains(key) && !own.contains(key) {
            throw value.error("\(name) does not use '\(key)'; its settings are \((commonSettings.dropFirst() + own).joined(separator: ", "))")
        }
        let rule: OptimizerRule
        switch name {
        case "sgd":
            rule = .sgd(momentum: try fields["momentum"]?.float(atLeast: 0, below: 1) ?? 0, nesterov: try fields["nesterov"]?.bool() ?? false)
        case "rmsprop":
            rule = .rmsprop(
                decay: try fields["decay"]?.float(above: 0, below: 1) ?? RMSpropHyperparameters.defaultDecay,
                momentum: try fields["momentum"]?.float(atLeast: 0, below: 1) ?? 0, centered: try fields["centered"]?.bool() ?? false)
        default:
            let beta1 = try fields["beta1"]?.float(atLeast: 0, below: 1) ?? AdamHyperparameters.defaultBeta1
            let beta2 = try fields["beta2"]?.float(atLeast: 0, below: 1) ?? AdamHyperparameters.defaultBeta2
            rule = name == "adam" ? .adam(beta1: beta1, beta2: beta2) : .adamW(beta1: beta1, beta2: beta2)
        }
        return OptimizerDescription(
            rule: rule, learningRate: try fields["learning_rate"]?.float(above: 0) ?? (name == "sgd" ? 0.01 : 0.001),
            weightDecay: try fields["weight_decay"]?.float(atLeast: 0) ?? 0, l1: try fields["l1"]?.float(atLeast: 0) ?? 0,
            clipNorm: try fields["clip_norm"]?.float(above: 0), epsilon: try fields["epsilon"]?.float(above: 0))
    }
}

/// How the learning rate changes over the epochs.
public enum ScheduleDescription: Sendable, Equatable {
    /// A schedule over the epoch number.
    case schedule(LearningRateSchedule)
    /// Reduce-on-plateau of a monitored value.
    case plateau(monitor: String, ReduceOnPlateau)

    static func parse(_ node: YAMLValue, epochs: Int) throws -> ScheduleDescription {
        let fields = try node.mapping(allowedKeys: ["name", "every", "factor", "warmup_epochs", "min_rate", "patience", "min_delta", "monitor"])
        let name = try fields.required("name").choice(["constant", "step", "exponential", "cosine", "plateau"])
        let allowed: [String: [String]] = [
            "constant": [], "step": ["every", "factor"], "exponential": ["factor"], "cosine": ["warmup_epochs", "min_rate"],
            "plateau": ["factor", "patience", "min_delta", "min_rate", "monitor"],
        ]
        for key in ["every", "factor", "warmup_epochs", "min_rate", "patience", "min_delta", "monitor"] where fields[key] != nil {
            if !(allowed[name] ?? []).contains(key), let keyNode = fields[key] { throw keyNode.error("not a setting of the \(name) schedule") }
        }
        let factor = try fields["factor"]?.float(above: 0, below: 1)
        switch name {
        case "step":
            return .schedule(.step(every: try fields.required("every").int(min: 1), factor: factor ?? 0.5))
        case "exponential":
            return .schedule(.exponential(factor: factor ?? 0.95))
        case "cosine":
            return .schedule(.cosine(
                warmupEpochs: try fields["warmup_epochs"]?.int(min: 0) ?? 0, totalEpochs: epochs,
                minimum: try fields["min_rate"]?.float(atLeast: 0) ?? 0))
        case "plateau":
            let monitorNode = fields["monitor"]
            let monitor = try monitorNode?.string() ?? "validation_loss"
            do {
                _ = try Monitor(monitor)
            } catch let error as TrainingError {
                throw (monitorNode ?? node).error("\(error)")
            }
            return .plateau(monitor: monitor, ReduceOnPlateau(
                factor: factor ?? 0.5, patience: try fields["patience"]?.int(min: 0) ?? 3,
                minDelta: try fields["min_delta"]?.float(atLeast: 0) ?? 1e-4, minimumRate: try fields["min_rate"]?.float(atLeast: 0) ?? 1e-6))
        default:
            return .schedule(.constant)
        }
    }
}

/// Early stopping settings.
public struct EarlyStoppingDescription: Sendable, Equatable {
    public var monitor: String
    public var patience: Int
    public var minDelta: Double
    public var restoreBestWeights: Bool

    static func parse(_ node: YAMLValue) throws -> EarlyStoppingDescription {
        let fields = try node.mapping(allowedKeys: ["monitor", "patience", "min_delta", "restore_best_weights"])
        let monitor = try fields["monitor"]?.string() ?? "validation_loss"
        do {
            _ = try Monitor(monitor)
        } catch let error as TrainingError {
            throw (fields["monitor"] ?? node).error("\(error)")
        }
        return EarlyStoppingDescription(
            monitor: monitor, patience: try fields["patience"]?.int(min: 0) ?? 5, minDelta: try fields["min_delta"]?.double(atLeast: 0) ?? 0,
            restoreBestWeights: try fields["restore_best_weights"]?.bool() ?? true)
    }
}

/// How the model is trained.
public struct TrainingSettings: Sendable, Equatable {
    public var epochs: Int
    public var batchSize: Int
    /// The loss; nil picks it from the data (cross-entropy, binary cross-entropy for a
    /// one-output two-class model, MSE for regression).
    public var loss: Loss?
    public var metrics: [Metric]?
    public var optimizer: OptimizerDescription
    public var schedule: ScheduleDescription?
    public var earlyStopping: EarlyStoppingDescription?
    /// Checkpoints are written every this many epochs.
    public var checkpointEvery: Int
    public var gradientSampleInterval: Int

    static func parse(_ node: YAMLValue) throws -> TrainingSettings {
        let fields = try node.mapping(allowedKeys: [
            "epochs", "batch_size", "loss", "metrics", "optimizer", "schedule", "early_stopping", "checkpoint_every",
            "gradient_sample_interval",
        ])
        let epochs = try fields["epochs"]?.int(min: 1) ?? 20
        let metrics = try fields["metrics"]?.sequence().map { item -> Metric in
            Metric(rawValue: try item.choice(Metric.allCases.map(\.rawValue))) ?? .accuracy
        }
        return TrainingSettings(
            epochs: epochs, batchSize: try fields["batch_size"]?.int(min: 1) ?? 32,
            loss: try fields["loss"].map { Loss(rawValue: try $0.choice(Loss.allCases.map(\.rawValue))) ?? .crossEntropy },
            metrics: metrics,
            optimizer: try fields["optimizer"].map(OptimizerDescription.parse)
                ?? OptimizerDescription(rule: .adam(), learningRate: 0.001, weightDecay: 0, l1: 0, clipNorm: nil),
            schedule: try fields["schedule"].map { try ScheduleDescription.parse($0, epochs: epochs) },
            earlyStopping: try fields["early_stopping"].map(EarlyStoppingDescription.parse),
            checkpointEvery: try fields["checkpoint_every"]?.int(min: 1) ?? 1,
            gradientSampleInterval: try fields["gradient_sample_interval"]?.int(min: 0) ?? 10)
    }
}

/// Compression to apply and report after training.
public struct CompressionDescription: Sendable, Equatable {
    /// Magnitude pruning to this sparsity, when set.
    public var pruneSparsity: Double?
    public var pruneScope: MagnitudePruning.Scope
    /// Int8 weight quantization with this granularity, when set.
    public var quantization: Int8Quantization.Granularity?
    /// Epochs of training after pruning, with the pruned weights held at zero (0: none).
    public var fineTuneEpochs: Int = 0

    static func parse(_ node: YAMLValue) throws -> CompressionDescription {
        let fields = try node.mapping(allowedKeys: ["prune", "prune_scope", "quantize", "fine_tune_epochs"])
        let quantize = try fields["quantize"]?.choice(Int8Quantization.Granularity.allCases.map(\.rawValue) + ["none"])
        return CompressionDescription(
            pruneSparsity: try fields["prune"]?.double(atLeast: 0, below: 1),
            pruneScope: MagnitudePruning.Scope(rawValue: try fields["prune_scope"]?.choice(MagnitudePruning.Scope.allCases.map(\.rawValue)) ?? "per_tensor") ?? .perTensor,
            quantization: quantize.flatMap(Int8Quantization.Granularity.init(rawValue:)),
            fineTuneEpochs: try fields["fine_tune_epochs"]?.int(min: 0) ?? 0)
    }
}
