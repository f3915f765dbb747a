import Backend

/// A building block of a model: parameters and a forward pass recorded on a tape.
public protocol Layer: AnyObject {
    /// A short name for summaries (`dense`, `conv2d`, ...).
    var kind: String { get }
    /// The trainable variables, in a stable order.
    var parameters: [Variable] { get }
    /// Non-trainable state saved with the model (batch-norm running statistics); empty by default.
    var buffers: [Variable] { get }
    /// The output shape for one sample of `inputShape` (batch dimension excluded).
    func outputShape(for inputShape: [Int]) throws -> [Int]
    /// Runs the layer on a batch, recording on `tape`.
    func forward(_ input: Variable, tape: Tape) throws -> Variable
}

extension Layer {
    public var buffers: [Variable] { [] }

    /// Number of trainable values.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
}
