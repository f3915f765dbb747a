import Backend

/// Records the ops of one forward pass so `backward(_:)` can run them in reverse.
///
/// A tape is used for one step: make one, run the model's forward pass and the loss on it,
/// call `backward`, and let it go. A tape made with `recording: false` is the no-grad mode
/// used for evaluation: ops run but nothing is recorded.
public final class Tape {
    /// Whether ops are recorded for a backward pass.
    public let isRecording: Bool
    /// Whether layers behave as in training (dropout drops, batch norm uses batch statistics).
    public let isTraining: Bool
    private var entries: [() throws -> Void] = []
    /// Whether `backward` keeps every op's saved tensors until it returns instead of releasing
    /// each op's as soon as its backward has run (for tests that compare the two).
    public let keepsSavedTensors: Bool
    /// The training step; random layers use it as their Philox offset so each step draws anew.
    public let step: UInt64
    /// The gradient `backward` starts from (ones of the loss's shape), while it runs; an op whose
    /// output is the loss gets exactly this tensor and may skip scaling by it.
    private(set) var seed: Tensor?

    /// A tape for one training or evaluation pass. `keepsSavedTensors` turns off the release of
    /// saved tensors during `backward` (only tests need that).
    public init(recording: Bool = true, training: Bool = true, step: UInt64 = 0, keepsSavedTensors: Bool = false) {
        isRecording = recording
        isTraining = training
        self.step = step
        self.keepsSavedTensors = keepsSavedTensors
    }

    /// A tape for inference: no recording, layers in evaluation mode.
    public static func inference() -> Tape { Tape(recording: false, training: false) }

    /// Number of recorded ops.
    public var count: Int { entries.count }

    /// Wraps `value` as the output of an op over `inputs`. When recording and any input needs a
    /// gradient, `backward` is kept and later called with the output's gradient.
    func record(
        _ value: Tensor, inputs: [Variable], backward: @escaping (Tensor) throws -> Void
    ) -> Variable {
        let needsGrad = isRecording && inputs.contains { $0.requiresGrad }
        let output = Variable(value, requiresGrad: needsGrad)
        if needsGrad {
            entries.append {
                if let gradient = output.grad { try backward(gradient) }
            }
        }
        return output
    }

    /// `record` for ops whose backward may pass the output's gradient itself on to an input (a
    /// reshape, a sum): `backward` also learns whether it may hand that gradient over, so that
    /// it becomes the input's gradient without a copy. It may when nothing but the tape holds
    /// the output variable (no one can read its gradient after this op) and the gradient is not
    /// the backward pass's seed (a loss op compares its gradient with the seed by buffer).
    func record(
        _ value: Tensor, inputs: [Variable], handingOver backward: @escaping (Tensor, _ handsOver: Bool) throws -> Void
    ) -> Variable {
        let needsGrad = isRecording && inputs.contains { $0.requiresGrad }
        let output = Variable(value, requiresGrad: needsGrad)
        if needsGrad {
            let holder = OutputHolder(output)
            entries.append { [unowned self] in
                guard let gradient = holder.variable.grad else { return }
                let alone = isKnownUniquelyReferenced(&holder.variable)
                try backward(gradient, alone && gradient.buffer !== seed?.buffer)
            }
        }
        return output
    }

    /// Wraps `values` as the outputs of one op over `inputs` (a split). When recording and any
    /// input needs a gradient, `backward` is kept and later called once with each output's
    /// gradient, nil for outputs that got none.
    func record(
        _ values: [Tensor], inputs: [Variable], backward: @escaping ([Tensor?]) throws -> Void
    ) -> [Variable] {
        let needsGrad = isRecording && inputs.contains { $0.requiresGrad }
        let outputs = values.map { Variable($0, requiresGrad: needsGrad) }
        if needsGrad {
            entries.append {
                let gradients = outputs.map(\.grad)
                if gradients.contains(where: { $0 != nil }) { try backward(gradients) }
            }
        }
        return outputs
    }

    /// Runs the recorded ops in reverse from `loss` (a one-element variable, gradient 1),
    /// accumulating gradients into every variable that requires them. Clears the tape.
    ///
    /// Each op's record (the tensors its backward saved, its output and that output's gradient)
    /// is let go as soon as its backward has run, so activations and gradients nothing later
    /// needs go back to the device's pool during the pass and later ops reuse their buffers.
    /// Tensors still held elsewhere (parameters, an earlier op's saved tensors, the caller's
    /// variables) stay alive: release is by reference count, never forced.
    public func backward(_ loss: Variable) throws {
        guard loss.value.count == 1 else {
            throw BackendError.shapeMismatch(op: "backward", detail: "loss must have one element, has shape \(loss.shape)")
        }
        guard loss.requiresGrad else {
            throw BackendError.invalidArgument(
                op: "backward", detail: "the loss does not depend on any parameter that requires a gradient (or the tape is not recording)")
        }
        // Uploaded rather than filled: a write costs no kernel launch.
        let seed = try Tensor([Float](repeating: 1, count: loss.value.count), shape: loss.shape, on: loss.device)
        self.seed = seed
        defer { self.seed = nil }
        try loss.accumulate(seed, owned: true)
        var pending = entries
        entries.removeAll()
        let kept = keepsSavedTensors ? pending : []
        while let entry = pending.popLast() { try entry() }
        withExtendedLifetime(kept) {}
    }
}

/// The one strong reference a recorded op keeps to its output, so the op can ask whether it
/// is the only one.
private final class OutputHolder {
    var variable: Variable
    init(_ variable: Variable) { self.variable = variable }
}

/// An uninitialized tensor for an op's output.
func output(_ shape: [Int], on device: any Device) throws -> Tensor {
    try Tensor(uninitializedShape: shape, on: device)
}

/// Runs `compute(target, accumulate)` for a variable that requires a gradient: into its
/// gradient with `accumulate` when it has one, else into a new tensor that becomes its gradient.
func accumulateGradient(into variable: Variable, _ compute: (Tensor, Bool) throws -> Void) throws {
    guard variable.requiresGrad else { return }
    if let existing = variable.grad {
        try compute(existing, true)
    } else {
        let fresh = try output(variable.shape, on: variable.device)
        try compute(fresh, false)
        try variable.accumulate(fresh, owned: true)
    }
}
