import CPUKernels

/// One LSTM time step as one parallel loop (the CPU path of `Tape.lstmSequence`): each part of
/// the step runs its share of the step's GEMM against the weights packed once per pass
/// (`PackedGemmOperand`), then the cell for the same rows and hidden units. One parallel run per
/// step instead of one for packing the weights, one for the GEMM and one for the cell, and no
/// copies: the GEMM's product and the step's projections meet in the cell, and backward writes
/// each step's gate gradients straight into the projections' gradient, where the step before
/// reads them.
extension CPUDevice {
    /// Forward step `step`: `activated` (`[batch, 4·hidden]`) gets the activated gates of step
    /// `step` of `projected` (`[batch, steps, 4·hidden]`) plus `previousHidden · weight`, as
    /// `lstmCell` does with `previousCell` (`[batch, hidden]`, `[1, hidden]` or nil: zeros).
    /// `weight` is `weight_hh` packed in 4 groups, one a gate.
    public func lstmStep(
        projected: Tensor, step: Int, previousHidden: Tensor?, weight: PackedGemmOperand, previousCell: Tensor?, activated: Tensor,
        cell: Tensor, hidden: Tensor
    ) throws {
        let op = "lstmStep"
        let plan = try LSTMCellPlan(op, gates: activated, previous: previousCell, rows: [cell, hidden, previousHidden], gateTensors: [], on: self)
        let (H, width) = (plan.hidden, 4 * plan.hidden)
        try Self.checkStep(op, sequence: projected, step: step, batch: plan.batch, width: width, weight: weight, hidden: H)
        let stride = projected.shape[1] * width
        let source = try pointer(projected, op: op) + step * width, act = try pointer(activated, op: op)
        let h = try previousHidden.map { try pointer($0, op: op) }, p = try previousCell.map { try pointer($0, op: op) }
        let c = try pointer(cell, op: op), output = try pointer(hidden, op: op)
        let avx2 = Self.lstmCellAVX2
        let failure = FirstError()
        forStepParts(plan.batch, hidden: H) { rows, units in
            do {
                // h·weight_hh alone (beta 0); the cell adds the projections, as a GEMM with beta 1 would.
                if let h { try multiply(rows: rows, of: h, lda: H, by: weight, columns: units, into: act, ldc: width, beta: 0) }
            } catch {
                failure.record(error)
                return
            }
            Self.lstmCellRows(
                rows, units: units, hidden: H, gates: h == nil ? source : act, gateStride: h == nil ? stride : width,
                addend: h == nil ? nil : source, addendStride: stride, previous: p, previousShared: plan.previousRows == 1,
                activated: act, cell: c, output: output, avx2: avx2)
        }
        try failure.rethrow()
    }

    /// Backward step `step`: the gradient of this step's `h` (step `step` of `gradSequence`,
    /// plus `gradLast`, plus the step after's gate gradients times `weight_hhᵀ`) into
    /// `gradHidden`, then the cell's backward (as `lstmCellBackward`) into step `step` of
    /// `gradProjected` (`[batch, steps, 4·hidden]`), which holds the gate gradients of the steps
    /// after it. `transposedWeight` is `weight_hhᵀ` packed.
    public func lstmStepBackward(
        gradSequence: Tensor?, gradLast: Tensor?, transposedWeight: PackedGemmOperand, step: Int, activated: Tensor,
        previousCell: Tensor?, cell: Tensor, gradCell: Tensor?, gradHidden: Tensor, gradPrevious: Tensor?, gradProjected: Tensor
    ) throws {
        let op = "lstmStepBackward"
        let plan = try LSTMCellPlan(
            op, gates: activated, previous: previousCell, rows: [cell, gradLast, gradCell, gradHidden, gradPrevious], gateTensors: [],
            on: self)
        let (H, width) = (plan.hidden, 4 * plan.hidden)
        try Self.checkStep(op, sequence: gradProjected, step: step, batch: plan.batch, width: width, weight: nil, hidden: H)
        if let gradSequence { try Self.checkStep(op, sequence: gradSequence, step: step, batch: plan.batch, width: H, weight: nil, hidden: H) }
        guard transposedWeight.depth == width, transposedWeight.columns == H, transposedWeight.groups == 1 else {
            throw BackendError.shapeMismatch(
                op: op,
                detail: "packed weight_hhᵀ is \(transposedWeight.depth)×\(transposedWeight.columns) in \(transposedWeight.groups) groups, expected \(width)×\(H) in 1")
        }
        let steps = gradProjected.shape[1]
        let sequence = try gradSequence.map { try pointer($0, op: op) }, last = try gradLast.map { try pointer($0, op: op) }
        let dh = try pointer(gradHidden, op: op)
        let act = try pointer(activated, op: op), p = try previousCell.map { try pointer($0, op: op) }
        let c = try pointer(cell, op: op), dc = try gradCell.map { try pointer($0, op: op) }
        let dp = try gradPrevious.map { try pointer($0, op: op) }
        let target = try pointer(gradProjected, op: op) + step * width
        let avx2 = Self.lstmCellAVX2
        let failure = FirstError()
        forStepParts(plan.batch, hidden: H) { rows, units in
            for b in rows {
                let row = dh + b * H + units.lowerBound
                if let sequence {
                    row.update(from: sequence + (b * steps + step) * H + units.lowerBound, count: units.count)
                } else {
                    row.update(repeating: 0, count: units.count)
                }
                if let last { for j in units { dh[b * H + j] += last[b * H + j] } }
            }
            do {
                if step + 1 < steps {
                    try multiply(
                        rows: rows, of: target + width, lda: steps * width, by: transposedWeight, columns: units, into: dh, ldc: H, beta: 1)
                }
            } catch {
                failure.record(error)
                return
            }
            Self.lstmCellBackwardRows(
                rows, units: units, hidden: H, activated: act, previous: p, previousShared: plan.previousRows == 1, cell: c,
                gradHidden: dh, gradCell: dc, gradGates: target, gradGateStride: steps * width, gradPrevious: dp, avx2: avx2)
        }
        try failure.rethrow()
    }

    /// Checks that `sequence` is `[batch, steps, width]` with `step` one of its steps, and that
    /// `weight` (when given) is `hidden × width`.
    private static func checkStep(
        _ op: String, sequence: Tensor, step: Int, batch: Int, width: Int, weight: PackedGemmOperand?, hidden: Int
    ) throws {
        guard sequence.rank == 3, sequence.shape[0] == batch, sequence.shape[2] == width, (0..<sequence.shape[1]).contains(step) else {
            throw BackendError.shapeMismatch(
                op: op, detail: "sequence \(sequence.shape) has no step \(step) of [\(batch), \(width)]")
        }
        if let weight, weight.depth != hidden || weight.columns != width || weight.groups != 4 {
            throw BackendError.shapeMismatch(
                op: op,
                detail: "packed weight_hh is \(weight.depth)×\(weight.columns) in \(weight.groups) groups, expected \(hidden)×\(width) in 4 (one a gate)")
        }
    }

    /// Runs `body` over the step's batch rows × hidden units in parallel parts, one a thread of
    /// the step team (`CPUStepTeam`: no thread to wake at each step), or in one part where the
    /// step is below twice `minimumChunkWork` multiply-adds. Where the hidden units make a whole
    /// column tile (`GemmBlocking.tileColumns`) a thread or more, each part is a range of units
    /// over all rows: every thread gets the same work (64 rows in tiles of 6 would split
    /// 36 + 28). Otherwise each part is a range of whole register tiles of rows over all units.
    private func forStepParts(_ batch: Int, hidden: Int, _ body: (_ rows: Range<Int>, _ units: Range<Int>) -> Void) {
        guard threadCount > 1, 4 * hidden * hidden * batch >= 2 * Self.minimumChunkWork else {
            body(0..<batch, 0..<hidden)
            return
        }
        let team = stepTeam
        let slice = GemmBlocking.tileColumns
        let slices = hidden / slice
        if slices >= team.size {
            team.run { part in
                let (start, end) = (part * slices / team.size, (part + 1) * slices / team.size)
                body(0..<batch, (start * slice)..<(end == slices ? hidden : end * slice))
            }
            return
        }
        let tileRows = GemmBlocking.tileRows
        let tiles = (batch + tileRows - 1) / tileRows
        team.run { part in
            let (start, end) = (part * tiles / team.size, (part + 1) * tiles / team.size)
            body((start * tileRows)..<min(batch, end * tileRows), 0..<hidden)
        }
    }
}
