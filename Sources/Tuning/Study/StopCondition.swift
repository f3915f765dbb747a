import Foundation

/// When `Study.optimize` stops asking for more trials. Several conditions stop at the first met.
public enum StopCondition: Sendable, Hashable {
    /// The study holds this many trials (all states, from every worker; enqueued ones included).
    case trials(Int)
    /// This many seconds have passed since `optimize` began; running trials finish.
    case duration(TimeInterval)
    /// The last `n` finished trials did not improve on the best value found before them.
    case noImprovement(trials: Int)
}
