import Backend

extension Tape {
    /// Inverted dropout while training (identity otherwise): each element is zeroed with
    /// `probability` and the rest scaled by `1 / (1 - probability)`. The mask comes from the
    /// counter-based stream (`seed`, `step`), so it is the same on every device and is
    /// recomputed in the backward pass instead of stored.
    public func dropout(_ x: Variable, probability: Float, seed: UInt64) throws -> Variable {
        guard isTraining, probability > 0 else { return x }
        let device = x.device
        let stream = RandomStream(seed: seed, offset: step)
        let result = try output(x.shape, on: device)
        try device.dropout(x.value, probability: probability, stream: stream, into: result, mask: nil)
        return record(result, inputs: [x]) { gradient in
            let input = try output(x.shape, on: device)
            try device.dropoutBackward(
                gradOutput: gradient, probability: probability, mask: .recomputed(stream), into: input)
            try x.accumulate(input, owned: true)
        }
    }
}
