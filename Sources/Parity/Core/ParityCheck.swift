import Backend

/// One check's inputs, made fresh: how to run the op on them on a device, and their Double
/// reference. Both closures share the inputs, so they are made once per check.
public struct ParityTrial {
    /// Uploads the inputs to a device, runs the op into NaN-poisoned outputs and reads back what
    /// it wrote (an op that writes nothing leaves NaN, which fails).
    public let run: (any Device) throws -> [Float]
    /// The same outputs computed in Double on the host.
    public let reference: () -> [Double]

    public init(run: @escaping (any Device) throws -> [Float], reference: @escaping () -> [Double]) {
        self.run = run
        self.reference = reference
    }
}

/// One input configuration of a `ParityCase`: the shape it runs on, what else varies (a value
/// range, a transpose, a reduction), and how to make its inputs from fixed seeds.
public struct ParityCheck: Sendable {
    /// The input shape, as the table shows it (`[3, 1, 5]`, `65x127x3`).
    public let shape: String
    /// What else this check varies, or empty.
    public let variant: String
    /// Makes fresh seeded inputs and the trial that runs on them.
    public let makeTrial: @Sendable () -> ParityTrial

    public init(shape: String, variant: String = "", _ makeTrial: @escaping @Sendable () -> ParityTrial) {
        self.shape = shape
        self.variant = variant
        self.makeTrial = makeTrial
    }

    /// A check on a tensor shape.
    public init(shape: [Int], variant: String = "", _ makeTrial: @escaping @Sendable () -> ParityTrial) {
        self.init(shape: "\(shape)", variant: variant, makeTrial)
    }

    /// The shape and the variant, for messages.
    public var label: String { variant.isEmpty ? shape : "\(shape) \(variant)" }
}
