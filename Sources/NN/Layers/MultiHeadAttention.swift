import Backend

/// Multi-head self-attention over `[batch, steps, dimension]` sequences, PyTorch's
/// `nn.MultiheadAttention(dimension, heads, batch_first=True)` called as `attention(x, x, x)`.
///
/// The input is projected to queries, keys and values (`x · inProjWeight + inProjBias`), split
/// into `heads` heads of `dimension / heads` features; each head attends with
/// `softmax(q·kᵀ / √headSize + mask)·v`, and the heads' results, joined, are projected by
/// `outProjWeight` and `outProjBias`. Padding steps (mask 0) get no attention: their scores are
/// pushed down by 10³⁰ (a row with every key masked attends evenly, where PyTorch gives NaN).
/// With `causal`, step `i` attends only to steps `≤ i`.
///
/// Weights are stored `[inputs, outputs]` like `Dense`, the transpose of PyTorch's:
/// `in_proj_weight` (`[3·dimension, dimension]` in PyTorch) is `inProjWeight` transposed
/// (`[dimension, 3·dimension]`, columns `0..<d` the queries, then keys, then values, each head
/// `h` in columns `h·headSize..<(h+1)·headSize` of its part); `out_proj.weight` is
/// `outProjWeight` transposed; the biases are the same. Variables are named as PyTorch names
/// them (`in_proj_weight`, `in_proj_bias`, `out_proj.weight`, `out_proj.bias`).
public final class MultiHeadAttention: MaskedLayer {
    public let kind = "attention"
    /// `[dimension, 3·dimension]`: the query, key and value projections side by side.
    public let inProjWeight: Variable
    /// `[3·dimension]`, or nil without biases.
    public let inProjBias: Variable?
    /// `[dimension, dimension]`.
    public let outProjWeight: Variable
    /// `[dimension]`, or nil without biases.
    public let outProjBias: Variable?
    public let heads: Int
    /// Whether each step attends only to itself and earlier steps.
    public let causal: Bool
    /// Dropout on the attention weights while training.
    public let dropout: Float
    private let dropoutSeed: UInt64
    /// The causal mask of the last sequence length, kept for the next batch.
    private var causalMask: Tensor?

    /// The value masked scores are lowered by.
    static let maskedScore: Float = 1e30

    /// A layer over `dimension` features in `heads` heads, weights drawn (Glorot uniform, biases
    /// 0) from the counter-based generator at `seed`.
    public init(
        dimension: Int, heads: Int, causal: Bool = false, dropout: Float = 0, useBias: Bool = true, seed: UInt64,
        on device: any Device
    ) throws {
        guard dimension > 0, heads > 0, dimension % heads == 0 else {
            throw BackendError.invalidArgument(
                op: "MultiHeadAttention", detail: "dimension (\(dimension)) must be a positive multiple of heads (\(heads))")
        }
        guard (0..<1).contains(dropout) else {
            throw BackendError.invalidArgument(op: "MultiHeadAttention", detail: "dropout \(dropout) is not in [0, 1)")
        }
        inProjWeight = Variable(
            try Initializer.glorotUniform.tensor(
                shape: [dimension, 3 * dimension], fanIn: dimension, fanOut: 3 * dimension, seed: seed, on: device),
            requiresGrad: true, name: "in_proj_weight")
        outProjWeight = Variable(
            try Initializer.glorotUniform.tensor(
                shape: [dimension, dimension], fanIn: dimension, fanOut: dimension, seed: seed &+ (1 << 40), on: device),
            requiresGrad: true, name: "out_proj.weight")
        inProjBias = useBias
            ? Variable(try Tensor(repeating: 0, shape: [3 * dimension], on: device), requiresGrad: true, name: "in_proj_bias") : nil
        outProjBias = useBias
            ? Variable(try Tensor(repeating: 0, shape: [dimension], on: device), requiresGrad: true, name: "out_proj.bias") : nil
        self.heads = heads
        self.causal = causal
        self.dropout = dropout
        dropoutSeed = seed &+ (2 << 40)
    }

    /// The feature count of inputs and outputs.
    public var dimension: Int { outProjWeight.shape[0] }

    public var parameters: [Variable] { [inProjWeight] + (inProjBias.map { [$0] } ?? []) + [outProjWeight] + (outProjBias.map { [$0] } ?? []) }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 2, inputShape[1] == dimension else {
            throw BackendError.shapeMismatch(
                op: kind, detail: "samples of \(inputShape) for attention over \(dimension) features; it needs [steps, \(dimension)]")
        }
        return inputShape
    }

    public func forward(_ input: Variable, mask: Variable?, tape: Tape) throws -> Variable {
        guard input.shape.count == 3, input.shape[2] == dimension else {
            throw BackendError.shapeMismatch(op: kind, detail: "input \(input.shape); attention needs [batch, steps, \(dimension)]")
        }
        try checkMask(mask, for: input)
        let (batch, steps, headSize) = (input.shape[0], input.shape[1], dimension / heads)
        let rows = try tape.reshape(input, to: [batch * steps, dimension])
        let projected = try tape.linear(rows, weight: inProjWeight, bias: inProjBias)
        // [batch, steps, 3, heads, headSize] → [3, batch, heads, steps, headSize].
        let split = try tape.permute(tape.reshape(projected, to: [batch, steps, 3, heads, headSize]), axes: [2, 0, 3, 1, 4])
        // One split, not three slices: backward copies the three gradients into one tensor rather
        // than filling three zero tensors and summing them.
        let parts = try tape.split(split, axis: 0, sizes: [1, 1, 1]).map { try tape.reshape($0, to: [batch * heads, steps, headSize]) }
        let (queries, keys, values) = (parts[0], parts[1], parts[2])
        var scores = try tape.batchedMatmul(queries, keys, transposeB: true, scale: 1 / Float(headSize).squareRoot())
        scores = try tape.reshape(scores, to: [batch, heads, steps, steps])
        if let mask { scores = try tape.add(scores, paddingScores(mask, batch: batch, steps: steps)) }
        if causal { scores = try tape.add(scores, causalScores(steps: steps, on: input.device)) }
        var weights = try tape.reshape(tape.softmax(scores, axis: -1), to: [batch * heads, steps, steps])
        weights = try tape.dropout(weights, probability: dropout, seed: dropoutSeed)
        let context = try tape.reshape(tape.batchedMatmul(weights, values), to: [batch, heads, steps, headSize])
        let joined = try tape.reshape(tape.permute(context, axes: [0, 2, 1, 3]), to: [batch * steps, dimension])
        return try tape.reshape(tape.linear(joined, weight: outProjWeight, bias: outProjBias), to: [batch, steps, dimension])
    }

    /// `[batch, 1, 1, steps]`: 0 for real steps, −10³⁰ for padding (mask 0).
    private func paddingScores(_ mask: Variable, batch: Int, steps: Int) throws -> Variable {
        let device = mask.device
        let scores = try Tensor(uninitializedShape: [batch, 1, 1, steps], on: device)
        try device.binaryScalar(.sub, mask.value, scalar: 1, scalarFirst: false, into: scores)
        try device.binaryScalar(.mul, scores, scalar: Self.maskedScore, scalarFirst: false, into: scores)
        return Variable(scores)
    }

    /// `[steps, steps]`: 0 on and below the diagonal, −10³⁰ above it (later steps).
    private func causalScores(steps: Int, on device: any Device) throws -> Variable {
        if let causalMask, causalMask.shape == [steps, steps], causalMask.device === device { return Variable(causalMask) }
        var values = [Float](repeating: 0, count: steps * steps)
        for row in 0..<steps {
            for column in (row + 1)..<max(steps, row + 1) { values[row * steps + column] = -Self.maskedScore }
        }
        let made = try Tensor(values, shape: [steps, steps], on: device)
        causalMask = made
        return Variable(made)
    }
}
