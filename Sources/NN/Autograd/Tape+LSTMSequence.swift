import Backend

/// What `Tape.lstmSequence` gives: the last step's output and cell, and every step's output
/// when asked for.
public struct LSTMSequenceOutput {
    /// `h` after the last step, `[batch, hidden]`.
    public let hidden: Variable
    /// The cell after the last step, `[batch, hidden]`.
    public let cell: Variable
    /// Every step's `h`, `[batch, steps, hidden]`, when the sequence was asked for.
    public let sequence: Variable?
}

extension Tape {
    /// The recurrence of an LSTM over every step as one tape op, from the input projections
    /// `projected` (`[batch, steps, 4·hidden]`: `x·weight_ih` plus both biases) and `weightHH`
    /// (`[hidden, 4·hidden]`), starting from `initial` (each `[batch, hidden]` or `[1, hidden]`;
    /// nil: zeros).
    ///
    /// Each step is one GEMM (`h·weight_hh` added onto that step's projections) and one fused
    /// cell op. Backward runs the steps in reverse with one GEMM and one cell op each, writes
    /// every step's gate gradients into one tensor, which is the gradient of `projected` as it
    /// stands, and gets `weight_hh`'s gradient from it as one GEMM over all steps. On the CPU,
    /// `weight_hh` (and for backward its transpose) is packed once per pass and each step, GEMM
    /// and cell together, is one parallel loop (`LSTMRecurrence`).
    public func lstmSequence(
        _ projected: Variable, weightHH: Variable, initial: LSTMState?, returnSequence: Bool
    ) throws -> LSTMSequenceOutput {
        let recurrence = try LSTMRecurrence(projected: projected, weightHH: weightHH, initial: initial)
        let inputs = [projected, weightHH] + [initial?.h, initial?.c].compactMap { $0 }
        let saves = isRecording && inputs.contains(where: \.requiresGrad)
        let forward = try recurrence.forward(
            projected.value, initialHidden: try initial.map { try Self.rows($0.h.value, batch: recurrence.batch) },
            initialCell: initial?.c.value, returnSequence: returnSequence, keepsSteps: saves,
            keepsPreviousHidden: saves && weightHH.requiresGrad)
        let values = [forward.hidden, forward.cell] + (forward.sequence.map { [$0] } ?? [])
        let outputs = record(values, inputs: inputs) { gradients in
            let backward = try recurrence.backward(
                gradHidden: gradients[0], gradCell: gradients[1], gradSequence: gradients.count > 2 ? gradients[2] : nil, of: forward,
                initialCell: initial?.c.value, wantsInitialCell: initial?.c.requiresGrad == true)
            try Self.accumulate(backward, of: forward, recurrence, projected: projected, weightHH: weightHH, initial: initial)
        }
        return LSTMSequenceOutput(hidden: outputs[0], cell: outputs[1], sequence: outputs.count > 2 ? outputs[2] : nil)
    }

    /// Adds the gradients `backward` gave into the inputs that want them: the initial `h`
    /// (through `weight_hh` from the first step's gate gradients), the initial cell, `weight_hh` (one GEMM
    /// over every step) and the projections.
    private static func accumulate(
        _ backward: LSTMRecurrence.Backward, of forward: LSTMRecurrence.Forward, _ recurrence: LSTMRecurrence, projected: Variable,
        weightHH: Variable, initial: LSTMState?
    ) throws {
        let (batch, hidden, width) = (recurrence.batch, recurrence.hidden, recurrence.width)
        if let initialH = initial?.h, initialH.requiresGrad {
            let firstGates = try output([batch, width], on: recurrence.device)
            try LSTMRecurrence.copy(stepOf: backward.projected, step: 0, into: firstGates)
            let gradInitial = try output([batch, hidden], on: recurrence.device)
            try recurrence.device.gemm(
                GemmDescriptor(m: batch, n: hidden, k: width, transposeB: true), a: firstGates, b: weightHH.value, c: gradInitial)
            try initialH.accumulate(reduce(gradInitial, toShape: initialH.shape), owned: true)
        }
        if let initialCell = initial?.c, initialCell.requiresGrad, let gradCell = backward.initialCell {
            try initialCell.accumulate(reduce(gradCell, toShape: initialCell.shape), owned: true)
        }
        if let previousHidden = forward.previousHidden {
            try accumulateProduct(
                into: weightHH, GemmDescriptor(m: hidden, n: width, k: batch * recurrence.steps, transposeA: true),
                previousHidden, backward.projected)
        }
        try projected.accumulate(backward.projected, owned: true)
    }

    /// `state` (`[batch, hidden]`, or `[1, hidden]` shared by every row) as `[batch, hidden]`.
    private static func rows(_ state: Tensor, batch: Int) throws -> Tensor {
        let size = state.shape[1]
        guard state.shape[0] != batch else { return state }
        let expanded = try Tensor(repeating: 0, shape: [batch, size], on: state.device)
        try state.device.biasActivation(expanded, bias: state.reshaped([size]), activation: nil, into: expanded)
        return expanded
    }
}
