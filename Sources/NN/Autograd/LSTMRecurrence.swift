import Backend

/// The steps of `Tape.lstmSequence` over one batch of projections. On the CPU, where its GEMM
/// has packed kernels, `weight_hh` is packed once per pass and each step, GEMM and cell
/// together, is one parallel loop (`CPUDevice.lstmStep`, `lstmStepBackward`); elsewhere each
/// step is a GEMM and a cell op.
struct LSTMRecurrence {
    let device: any Device
    let batch: Int
    let steps: Int
    /// The size of `h` and `c`.
    let hidden: Int
    /// `weight_hh`, `[hidden, 4·hidden]`.
    let weightHH: Tensor
    private let cpu: CPUDevice?

    /// Columns of the gates, `4·hidden`.
    var width: Int { 4 * hidden }

    /// Checks that `projected` is `[batch, steps, 4·hidden]` for `weightHH` (`[hidden, 4·hidden]`)
    /// and that each initial state is `[batch, hidden]` or `[1, hidden]`.
    init(projected: Variable, weightHH: Variable, initial: LSTMState?) throws {
        let op = "lstmSequence"
        let hidden = weightHH.shape.count == 2 ? weightHH.shape[0] : 0
        guard projected.shape.count == 3, projected.shape[1] > 0, hidden > 0, weightHH.shape == [hidden, 4 * hidden],
              projected.shape[2] == 4 * hidden
        else {
            throw BackendError.shapeMismatch(
                op: op, detail: "projections \(projected.shape) and weight_hh \(weightHH.shape) do not fit [batch, steps, 4·hidden]")
        }
        (batch, steps, self.hidden) = (projected.shape[0], projected.shape[1], hidden)
        for (name, state) in [("h", initial?.h), ("c", initial?.c)] {
            guard let state, state.shape != [batch, hidden], state.shape != [1, hidden] else { continue }
            throw BackendError.shapeMismatch(
                op: op, detail: "initial state \(name) must be [\(batch), \(hidden)] or [1, \(hidden)], got \(state.shape)")
        }
        device = projected.device
        self.weightHH = weightHH.value
        cpu = device as? CPUDevice
    }

    /// What the forward pass gives and keeps for backward.
    struct Forward {
        /// `h` and the cell after the last step, `[batch, hidden]`.
        let hidden: Tensor
        let cell: Tensor
        /// Every step's `h`, `[batch, steps, hidden]`, when asked for.
        let sequence: Tensor?
        /// Each step's activated gates and cell, when kept for backward.
        let activated: [Tensor]
        let cells: [Tensor]
        /// Batch-first like the projections: slot (b, t) holds the h that step t starts from,
        /// when kept for `weight_hh`'s gradient.
        let previousHidden: Tensor?
    }

    /// Runs every step from `initialHidden` and `initialCell` (`[batch, hidden]`, `[1, hidden]`
    /// for the cell; nil: zeros). `keepsSteps`: keep each step's gates and cell;
    /// `keepsPreviousHidden`: keep the h each step starts from.
    func forward(
        _ projected: Tensor, initialHidden: Tensor?, initialCell: Tensor?, returnSequence: Bool, keepsSteps: Bool, keepsPreviousHidden: Bool
    ) throws -> Forward {
        let previousHidden = keepsPreviousHidden ? try output([batch, steps, hidden], on: device) : nil
        let sequence = returnSequence ? try output([batch, steps, hidden], on: device) : nil
        if let previousHidden {
            try Self.copy(initialHidden ?? Tensor(repeating: 0, shape: [batch, hidden], on: device), into: previousHidden, step: 0)
        }
        let packed = try cpu?.packGemmOperand(weightHH, transposed: false, groups: 4)
        var (h, c) = (initialHidden, initialCell)
        var (activatedSteps, cellSteps): ([Tensor], [Tensor]) = ([], [])
        for step in 0..<steps {
            let next = try forwardStep(projected, step: step, hidden: h, cell: c, packed: packed)
            if let sequence { try Self.copy(next.hidden, into: sequence, step: step) }
            if let previousHidden, step + 1 < steps { try Self.copy(next.hidden, into: previousHidden, step: step + 1) }
            if keepsSteps {
                activatedSteps.append(next.activated)
                cellSteps.append(next.cell)
            }
            (h, c) = (next.hidden, next.cell)
        }
        guard let h, let c else {
            throw BackendError.shapeMismatch(op: "lstmSequence", detail: "the projections \(projected.shape) have no steps")
        }
        return Forward(hidden: h, cell: c, sequence: sequence, activated: activatedSteps, cells: cellSteps, previousHidden: previousHidden)
    }

    /// Step `step` from `hidden` and `cell` (nil: zeros): its activated gates, cell and h.
    private func forwardStep(
        _ projected: Tensor, step: Int, hidden previousHidden: Tensor?, cell previousCell: Tensor?, packed: PackedGemmOperand?
    ) throws -> (activated: Tensor, cell: Tensor, hidden: Tensor) {
        let activated = try output([batch, width], on: device)
        let (cell, hidden) = (try output([batch, self.hidden], on: device), try output([batch, self.hidden], on: device))
        if let cpu, let packed {
            try cpu.lstmStep(
                projected: projected, step: step, previousHidden: previousHidden, weight: packed, previousCell: previousCell,
                activated: activated, cell: cell, hidden: hidden)
            return (activated, cell, hidden)
        }
        let gates = try output([batch, width], on: device)
        try Self.copy(stepOf: projected, step: step, into: gates)
        if let previousHidden {
            try device.gemm(GemmDescriptor(m: batch, n: width, k: self.hidden, beta: 1), a: previousHidden, b: weightHH, c: gates)
        }
        try device.lstmCell(gates: gates, previous: previousCell, activated: activated, cell: cell, hidden: hidden)
        return (activated, cell, hidden)
    }

    /// What the backward pass gives.
    struct Backward {
        /// The gradient of the projections, `[batch, steps, 4·hidden]`: every step's gate gradients.
        let projected: Tensor
        /// The gradient of the cell the first step starts from, when asked for.
        let initialCell: Tensor?
    }

    /// `weight_hhᵀ` as the backward steps read it: packed on the CPU, else a plain tensor, made
    /// once (as the transposed operand of each step's GEMM it would be transposed anew each step).
    private enum TransposedWeight {
        case packed(PackedGemmOperand, on: CPUDevice)
        case plain(Tensor)
    }

    /// Runs the steps in reverse from the gradients of the last `h` and cell and of every step's
    /// `h` (each may be nil), for the pass `forward` that started from `initialCell`; the initial
    /// cell's gradient is made when `wantsInitialCell`.
    func backward(
        gradHidden: Tensor?, gradCell: Tensor?, gradSequence: Tensor?, of forward: Forward, initialCell: Tensor?, wantsInitialCell: Bool
    ) throws -> Backward {
        let gradProjected = try output([batch, steps, width], on: device)
        let transposed = try transposedWeight()
        var (gradNext, gradCell): (Tensor?, Tensor?) = (nil, gradCell)
        for step in (0..<steps).reversed() {
            let gradPrevious = step > 0 || wantsInitialCell ? try output([batch, hidden], on: device) : nil
            let previousCell = step > 0 ? forward.cells[step - 1] : initialCell
            let (activated, cell) = (forward.activated[step], forward.cells[step])
            let gradLast = step == steps - 1 ? gradHidden : nil
            switch transposed {
            case .packed(let packed, let cpu):
                try cpu.lstmStepBackward(
                    gradSequence: gradSequence, gradLast: gradLast, transposedWeight: packed, step: step, activated: activated,
                    previousCell: previousCell, cell: cell, gradCell: gradCell, gradHidden: output([batch, hidden], on: device),
                    gradPrevious: gradPrevious, gradProjected: gradProjected)
            case .plain(let weight):
                let gradGates = try output([batch, width], on: device)
                let gradHidden = try hiddenGradient(step, gradLast: gradLast, gradSequence: gradSequence, gradNext: gradNext, transposed: weight)
                try device.lstmCellBackward(
                    activated: activated, previous: previousCell, cell: cell, gradHidden: gradHidden, gradCell: gradCell, into: gradGates,
                    gradPrevious: gradPrevious)
                try Self.copy(gradGates, into: gradProjected, step: step)
                gradNext = gradGates
            }
            gradCell = gradPrevious
        }
        return Backward(projected: gradProjected, initialCell: gradCell)
    }

    /// `weight_hhᵀ`, packed on the CPU.
    private func transposedWeight() throws -> TransposedWeight {
        if let cpu, let packed = try cpu.packGemmOperand(weightHH, transposed: true) { return .packed(packed, on: cpu) }
        let transposed = try output([width, hidden], on: device)
        try device.permute(weightHH, axes: [1, 0], into: transposed)
        return .plain(transposed)
    }

    /// The gradient of step `step`'s `h` as separate ops: step `step` of `gradSequence`, plus
    /// `gradLast`, plus `gradNext · weight_hhᵀ` (`transposed`); nil when none is given.
    private func hiddenGradient(_ step: Int, gradLast: Tensor?, gradSequence: Tensor?, gradNext: Tensor?, transposed: Tensor) throws -> Tensor? {
        var gradHidden: Tensor?
        if let gradSequence {
            let part = try output([batch, hidden], on: device)
            try Self.copy(stepOf: gradSequence, step: step, into: part)
            gradHidden = part
        }
        if let gradLast {
            if let part = gradHidden { try device.binary(.add, part, gradLast, into: part) } else { gradHidden = gradLast }
        }
        if let gradNext {
            let target = try gradHidden ?? output([batch, hidden], on: device)
            try device.gemm(
                GemmDescriptor(m: batch, n: hidden, k: width, beta: gradHidden == nil ? 0 : 1), a: gradNext, b: transposed, c: target)
            gradHidden = target
        }
        return gradHidden
    }

    /// Copies step `step` of `sequence` (`[batch, steps, width]`) into `part` (`[batch, width]`).
    static func copy(stepOf sequence: Tensor, step: Int, into part: Tensor) throws {
        let (batch, steps, width) = (sequence.shape[0], sequence.shape[1], sequence.shape[2])
        try sequence.device.copyBlocks(
            sequence.buffer, offset: step * width, stride: steps * width, to: part.buffer, offset: 0, stride: width, length: width,
            blocks: batch)
    }

    /// Copies `part` (`[batch, width]`) into step `step` of `sequence` (`[batch, steps, width]`).
    static func copy(_ part: Tensor, into sequence: Tensor, step: Int) throws {
        let (batch, steps, width) = (sequence.shape[0], sequence.shape[1], sequence.shape[2])
        try sequence.device.copyBlocks(
            part.buffer, offset: 0, stride: width, to: sequence.buffer, offset: step * width, stride: steps * width, length: width,
            blocks: batch)
    }
}
