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
    /// and cell together, is one parallel loop (`CPUDevice.lstmStep`, `lstmStepBackward`).
    public func lstmSequence(
        _ projected: Variable, weightHH: Variable, initial: LSTMState?, returnSequence: Bool
    ) throws -> LSTMSequenceOutput {
        let op = "lstmSequence"
        let hiddenSize = weightHH.shape.count == 2 ? weightHH.shape[0] : 0
        let width = 4 * hiddenSize
        guard projected.shape.count == 3, projected.shape[1] > 0, hiddenSize > 0, weightHH.shape == [hiddenSize, width],
              projected.shape[2] == width
        else {
            throw BackendError.shapeMismatch(
                op: op, detail: "projections \(projected.shape) and weight_hh \(weightHH.shape) do not fit [batch, steps, 4·hidden]")
        }
        let device = projected.device
        let (batch, steps) = (projected.shape[0], projected.shape[1])
        for (name, state) in [("h", initial?.h), ("c", initial?.c)] {
            guard let state, state.shape != [batch, hiddenSize], state.shape != [1, hiddenSize] else { continue }
            throw BackendError.shapeMismatch(
                op: op, detail: "initial state \(name) must be [\(batch), \(hiddenSize)] or [1, \(hiddenSize)], got \(state.shape)")
        }
        let saves = isRecording && ([projected, weightHH] + [initial?.h, initial?.c].compactMap { $0 }).contains(where: \.requiresGrad)
        let initialHidden = try initial.map { try Self.rows($0.h.value, batch: batch) }
        // Batch-first like `projected`: slot (b, t) holds the h that step t starts from.
        let previousHidden = saves && weightHH.requiresGrad ? try output([batch, steps, hiddenSize], on: device) : nil
        let sequence = returnSequence ? try output([batch, steps, hiddenSize], on: device) : nil
        if let previousHidden {
            let first = try initialHidden ?? Tensor(repeating: 0, shape: [batch, hiddenSize], on: device)
            try Self.copyStep(first, into: previousHidden, step: 0)
        }
        // The CPU's fused steps, where its GEMM has packed kernels.
        let cpu = device as? CPUDevice
        let packedWeight = try cpu?.packGemmOperand(weightHH.value, transposed: false, groups: 4)
        var hidden = initialHidden
        var cell = initial?.c.value
        var activatedSteps: [Tensor] = []
        var cellSteps: [Tensor] = []
        for step in 0..<steps {
            let activated = try output([batch, width], on: device)
            let nextCell = try output([batch, hiddenSize], on: device)
            let nextHidden = try output([batch, hiddenSize], on: device)
            if let cpu, let packedWeight {
                try cpu.lstmStep(
                    projected: projected.value, step: step, previousHidden: hidden, weight: packedWeight, previousCell: cell,
                    activated: activated, cell: nextCell, hidden: nextHidden)
            } else {
                let gates = try output([batch, width], on: device)
                try Self.copyStep(of: projected.value, step: step, into: gates)
                if let hidden {
                    try device.gemm(GemmDescriptor(m: batch, n: width, k: hiddenSize, beta: 1), a: hidden, b: weightHH.value, c: gates)
                }
                try device.lstmCell(gates: gates, previous: cell, activated: activated, cell: nextCell, hidden: nextHidden)
            }
            if let sequence { try Self.copyStep(nextHidden, into: sequence, step: step) }
            if let previousHidden, step + 1 < steps { try Self.copyStep(nextHidden, into: previousHidden, step: step + 1) }
            if saves {
                activatedSteps.append(activated)
                cellSteps.append(nextCell)
            }
            (hidden, cell) = (nextHidden, nextCell)
        }
        guard let hidden, let cell else {
            throw BackendError.shapeMismatch(op: op, detail: "the projections \(projected.shape) have no steps")
        }
        let inputs = [projected, weightHH] + [initial?.h, initial?.c].compactMap { $0 }
        let values = [hidden, cell] + (sequence.map { [$0] } ?? [])
        let initialCell = initial?.c
        let outputs = record(values, inputs: inputs) { gradients in
            let gradSequence = gradients.count > 2 ? gradients[2] : nil
            let gradProjected = try output(projected.shape, on: device)
            var gradCell = gradients[1]
            var gradNext: Tensor?
            // weight_hhᵀ, made once (packed on the CPU): the GEMMs below then read it row by row.
            // As the transposed operand of each step's GEMM it would be transposed anew at every step.
            let packedTransposed = try cpu?.packGemmOperand(weightHH.value, transposed: true)
            var transposedWeight: Tensor?
            if packedTransposed == nil {
                let transposed = try output([width, hiddenSize], on: device)
                try device.permute(weightHH.value, axes: [1, 0], into: transposed)
                transposedWeight = transposed
            }
            for step in (0..<steps).reversed() {
                let previous = step > 0 ? cellSteps[step - 1] : initialCell?.value
                let wantsPrevious = step > 0 || initialCell?.requiresGrad == true
                let gradPrevious = wantsPrevious ? try output([batch, hiddenSize], on: device) : nil
                let gradGates = try output([batch, width], on: device)
                if let cpu, let packedTransposed {
                    try cpu.lstmStepBackward(
                        gradSequence: gradSequence, gradLast: step == steps - 1 ? gradients[0] : nil, gradNext: gradNext,
                        transposedWeight: packedTransposed, step: step, activated: activatedSteps[step], previousCell: previous,
                        cell: cellSteps[step], gradCell: gradCell, gradHidden: output([batch, hiddenSize], on: device),
                        gradGates: gradGates, gradPrevious: gradPrevious, gradProjected: gradProjected)
                    (gradNext, gradCell) = (gradGates, gradPrevious)
                    continue
                }
                var gradHidden: Tensor?
                if let gradSequence {
                    let part = try output([batch, hiddenSize], on: device)
                    try Self.copyStep(of: gradSequence, step: step, into: part)
                    gradHidden = part
                }
                if step == steps - 1, let last = gradients[0] {
                    if let part = gradHidden { try device.binary(.add, part, last, into: part) } else { gradHidden = last }
                }
                if let gradNext, let transposedWeight {
                    let target = try gradHidden ?? output([batch, hiddenSize], on: device)
                    try device.gemm(
                        GemmDescriptor(m: batch, n: hiddenSize, k: width, beta: gradHidden == nil ? 0 : 1),
                        a: gradNext, b: transposedWeight, c: target)
                    gradHidden = target
                }
                try device.lstmCellBackward(
                    activated: activatedSteps[step], previous: previous, cell: cellSteps[step], gradHidden: gradHidden,
                    gradCell: gradCell, into: gradGates, gradPrevious: gradPrevious)
                try Self.copyStep(gradGates, into: gradProjected, step: step)
                (gradNext, gradCell) = (gradGates, gradPrevious)
            }
            if let initialH = initial?.h, initialH.requiresGrad, let gradNext {
                let gradInitial = try output([batch, hiddenSize], on: device)
                try device.gemm(
                    GemmDescriptor(m: batch, n: hiddenSize, k: width, transposeB: true), a: gradNext, b: weightHH.value, c: gradInitial)
                try initialH.accumulate(reduce(gradInitial, toShape: initialH.shape), owned: true)
            }
            if let initialCell, initialCell.requiresGrad, let gradCell {
                try initialCell.accumulate(reduce(gradCell, toShape: initialCell.shape), owned: true)
            }
            if let previousHidden {
                try accumulateProduct(
                    into: weightHH, GemmDescriptor(m: hiddenSize, n: width, k: batch * steps, transposeA: true),
                    previousHidden, gradProjected)
            }
            try projected.accumulate(gradProjected, owned: true)
        }
        return LSTMSequenceOutput(hidden: outputs[0], cell: outputs[1], sequence: outputs.count > 2 ? outputs[2] : nil)
    }

    /// `state` (`[batch, hidden]`, or `[1, hidden]` shared by every row) as `[batch, hidden]`.
    private static func rows(_ state: Tensor, batch: Int) throws -> Tensor {
        let size = state.shape[1]
        guard state.shape[0] != batch else { return state }
        let expanded = try Tensor(repeating: 0, shape: [batch, size], on: state.device)
        try state.device.biasActivation(expanded, bias: state.reshaped([size]), activation: nil, into: expanded)
        return expanded
    }

    /// Copies step `step` of `sequence` (`[batch, steps, width]`) into `part` (`[batch, width]`).
    private static func copyStep(of sequence: Tensor, step: Int, into part: Tensor) throws {
        let (batch, steps, width) = (sequence.shape[0], sequence.shape[1], sequence.shape[2])
        try sequence.device.copyBlocks(
            sequence.buffer, offset: step * width, stride: steps * width, to: part.buffer, offset: 0, stride: width, length: width,
            blocks: batch)
    }

    /// Copies `part` (`[batch, width]`) into step `step` of `sequence` (`[batch, steps, width]`).
    private static func copyStep(_ part: Tensor, into sequence: Tensor, step: Int) throws {
        let (batch, steps, width) = (sequence.shape[0], sequence.shape[1], sequence.shape[2])
        try sequence.device.copyBlocks(
            part.buffer, offset: 0, stride: width, to: sequence.buffer, offset: step * width, stride: steps * width, length: width,
            blocks: batch)
    }
}
