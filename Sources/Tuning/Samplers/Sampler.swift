/// Proposes the hyperparameters of a new trial.
///
/// A sampler is a pure function of its request: the same request gives the same configuration.
/// Its random draws come from `request.random(stream:)`, which the study's seed and the trial's
/// number decide.
public protocol Sampler: Sendable {
    /// Throws `TuningError.invalidSettings` if the sampler cannot work on `space` with its
    /// settings. Studies call it when they open; the default accepts everything.
    func validate(for space: SearchSpace) throws

    /// Called before a new trial is created, to claim what only one worker may have (the grid
    /// sampler's next point). `.exhausted` stops the study without creating the trial. The
    /// default reserves nothing.
    func reserve(_ request: ReservationRequest) throws -> SamplerReservation

    /// A configuration for `request.trialNumber`: every active parameter of the space, keeping the
    /// values in `request.fixed` (an enqueued trial's given parameters).
    func sample(_ request: SamplingRequest) throws -> [String: ParameterValue]

    /// Whether the sampler hands out each of its points once across the study (the grid): an
    /// interrupted trial of such a sampler is queued again, or its point would never be
    /// evaluated. The default is false.
    var proposesEachPointOnce: Bool { get }
}

extension Sampler {
    public func validate(for space: SearchSpace) throws {}

    public var proposesEachPointOnce: Bool { false }

    public func reserve(_ request: ReservationRequest) throws -> SamplerReservation { .nothing }
}

/// What a sampler claimed for the next trial before it was created.
public enum SamplerReservation: Sendable, Hashable {
    /// Nothing was claimed.
    case nothing
    /// A study-wide index, such as a grid point's.
    case index(Int)
    /// Nothing is left to propose; the study stops.
    case exhausted
}

/// What a sampler knows when it reserves.
public struct ReservationRequest: Sendable {
    public var space: SearchSpace
    public var seed: UInt64
    /// Claims the next value of a study-wide counter (0, 1, 2, ...) through the storage, so that
    /// every worker of every process gets a different value.
    public var claimCounter: @Sendable (String) throws -> Int

    public init(space: SearchSpace, seed: UInt64, claimCounter: @escaping @Sendable (String) throws -> Int) {
        self.space = space
        self.seed = seed
        self.claimCounter = claimCounter
    }
}

/// What a sampler knows when it proposes a configuration.
public struct SamplingRequest: Sendable {
    public var space: SearchSpace
    public var direction: StudyDirection
    public var seed: UInt64
    /// The number of the trial being sampled.
    public var trialNumber: Int
    /// The study's trials (this one included, without its parameters): finished ones to learn
    /// from, running ones with parameters as pending points (so parallel workers do not all
    /// propose the same point).
    public var history: [TrialRecord]
    /// Parameters already decided (given when the trial was enqueued).
    public var fixed: [String: ParameterValue]
    /// What `reserve` claimed for this trial.
    public var reservation: SamplerReservation

    public init(
        space: SearchSpace, direction: StudyDirection, seed: UInt64, trialNumber: Int,
        history: [TrialRecord], fixed: [String: ParameterValue] = [:], reservation: SamplerReservation = .nothing
    ) {
        self.space = space
        self.direction = direction
        self.seed = seed
        self.trialNumber = trialNumber
        self.history = history
        self.fixed = fixed
        self.reservation = reservation
    }

    /// The trial's generator for one use (`stream` separates samplers and their phases).
    public func random(stream: UInt64) -> SeededRandom {
        SeededRandom(seed: seed, trial: trialNumber, stream: stream)
    }

    /// Complete trials with their value as a loss (smaller is better whatever the direction).
    public var completed: [(trial: TrialRecord, loss: Double)] {
        history.compactMap { trial in
            guard trial.state == .complete, let value = trial.value else { return nil }
            return (trial, direction.loss(value))
        }
    }

    /// Running trials that already have parameters: points being evaluated elsewhere.
    public var pending: [TrialRecord] {
        history.filter { $0.state == .running && !$0.params.isEmpty && $0.number != trialNumber }
    }

    /// Fills every active parameter: `fixed` values first, then `draw` for the rest.
    public func configuration(
        _ draw: (Parameter, [String: ParameterValue]) throws -> ParameterValue
    ) rethrows -> [String: ParameterValue] {
        try space.configuration { parameter, values in
            try fixed[parameter.name] ?? draw(parameter, values)
        }
    }
}

/// Stream numbers that keep the samplers' random draws apart.
enum SamplerStream {
    static let random: UInt64 = 1
    static let sobol: UInt64 = 2
    static let tpe: UInt64 = 3
    static let gaussianProcess: UInt64 = 4
    static let genetic: UInt64 = 5
    static let grid: UInt64 = 6
    static let nsga2: UInt64 = 7
}
