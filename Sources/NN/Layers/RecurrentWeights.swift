import Backend

/// The four weight tensors of an LSTM or GRU layer: `weight_ih` `[inputs, gates·hidden]`,
/// `weight_hh` `[hidden, gates·hidden]` (the transposes of PyTorch's), `bias_ih` and `bias_hh`
/// `[gates·hidden]`, with PyTorch's initialization (uniform in ±1/√hidden).
public struct RecurrentWeights {
    public let weightIH: Variable
    public let weightHH: Variable
    public let biasIH: Variable
    public let biasHH: Variable

    /// Weights for `gates` gates of `hidden` values, drawn from stream `seed` (offsets 0 to 3).
    init(inputs: Int, hidden: Int, gates: Int, seed: UInt64, kind: String, on device: any Device) throws {
        try Recurrence.checkSizes(inputs: inputs, hidden: hidden, gates: gates, kind: kind)
        let width = gates * hidden
        weightIH = try Recurrence.uniform([inputs, width], hidden: hidden, seed: seed, offset: 0, name: "weight_ih", on: device)
        weightHH = try Recurrence.uniform([hidden, width], hidden: hidden, seed: seed, offset: 1, name: "weight_hh", on: device)
        biasIH = try Recurrence.uniform([width], hidden: hidden, seed: seed, offset: 2, name: "bias_ih", on: device)
        biasHH = try Recurrence.uniform([width], hidden: hidden, seed: seed, offset: 3, name: "bias_hh", on: device)
    }

    /// The four tensors in PyTorch's order.
    public var all: [Variable] { [weightIH, weightHH, biasIH, biasHH] }
    /// The size of `h`.
    public var hidden: Int { weightHH.shape[0] }
    /// The features of each step's input.
    public var inputs: Int { weightIH.shape[0] }
}
