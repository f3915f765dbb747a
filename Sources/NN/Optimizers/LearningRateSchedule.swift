import Foundation

/// How the learning rate changes with the epoch (0-based).
public enum LearningRateSchedule: Sendable, Equatable {
    /// The base rate throughout.
    case constant
    /// Multiplies the rate by `factor` every `every` epochs.
    case step(every: Int, factor: Float)
    /// Multiplies the rate by `factor` each epoch.
    case exponential(factor: Float)
    /// Rises linearly over `warmupEpochs`, then follows a half cosine from the base rate down
    /// to `minimum` at `totalEpochs`.
    case cosine(warmupEpochs: Int, totalEpochs: Int, minimum: Float)

    /// The rate for `epoch` given the base rate.
    public func rate(base: Float, epoch: Int) -> Float {
        switch self {
        case .constant:
            return base
        case let .step(every, factor):
            return base * pow(factor, Float(epoch / max(every, 1)))
        case let .exponential(factor):
            return base * pow(factor, Float(epoch))
        case let .cosine(warmup, total, minimum):
            if epoch < warmup { return base * Float(epoch + 1) / Float(warmup + 1) }
            let span = max(total - warmup, 1)
            let progress = min(Float(epoch - warmup) / Float(span), 1)
            return minimum + (base - minimum) * 0.5 * (1 + cos(.pi * progress))
        }
    }
}

/// Lowers the learning rate when a watched metric stops improving.
public struct ReduceOnPlateau: Sendable, Equatable {
    /// Multiplier applied when the metric has not improved for `patience` epochs.
    public var factor: Float
    public var patience: Int
    /// The smallest change that counts as an improvement.
    public var minDelta: Float
    /// The rate never goes below this.
    public var minimumRate: Float
    /// True when a larger metric is better (accuracy), false for a loss.
    public var maximize: Bool

    private var best: Float?
    private var epochsWithoutImprovement = 0

    public init(factor: Float = 0.5, patience: Int = 3, minDelta: Float = 1e-4, minimumRate: Float = 1e-6, maximize: Bool = false) {
        self.factor = factor
        self.patience = patience
        self.minDelta = minDelta
        self.minimumRate = minimumRate
        self.maximize = maximize
    }

    /// Records this epoch's metric and returns the rate to use next.
    public mutating func update(metric: Float, currentRate: Float) -> Float {
        let improved: Bool
        if let best {
            improved = maximize ? metric > best + minDelta : metric < best - minDelta
        } else {
            improved = true
        }
        if improved {
            best = metric
            epochsWithoutImprovement = 0
            return currentRate
        }
        epochsWithoutImprovement += 1
        guard epochsWithoutImprovement > patience else { return currentRate }
        epochsWithoutImprovement = 0
        return max(currentRate * factor, minimumRate)
    }
}
