import CPUKernels

/// One LSTM time step as one parallel loop over the batch rows (the CPU path of
/// `Tape.lstmSequence`): each chunk of rows runs its part of the step's GEMM against the weights
/// packed once per pass (`PackedGemmOperand`), then the cell for the same rows. One dispatch per
/// step instead of one for packing the weights, one for the GEMM and one for the cell.
extension CPUDevice {
    /// Forward step `step`: `activated` (`[batch, 4·hidden]`) gets step `step` of `projected`
    /// (`[batch, steps, 4·hidden]`) plus `previousHidden · weight`, then the cell runs on it in
    /// place (as `lstmCell`, with `previousCell` `[batch, hidden]`, `[1, hidden]` or nil: zeros).
    /// `weight` is `weight_hh` packed in 4 groups, one a gate.
    public func lstmStep(
        projected: Tensor, step: Int, previousHidden: Tensor?, weight: PackedGemmOperand, previousCell: Tensor?, activated: Tensor,
        cell: Tensor, hidden: Tensor
    ) throws {
        let op = "lstmStep"
        let plan = try LSTMCellPlan(op, gates: activated, previous: previousCell, rows: [cell, hidden, previousHidden], gateTensors: [], on: self)
        let (H, width) = (plan.hidden, 4 * plan.hidden)
        try Self.checkStep(op, sequence: projected, step: step, batch: plan.batch, width: width, weight: weight, hidden: H)
        let steps = projected.shape[1]
        let source = try pointer(projected, op: op), act = try pointer(activated, op: op)
        let h = try previousHidden.map { try pointer($0, op: op) }, p = try previousCell.map { try pointer($0, op: op) }
        let c = try pointer(cell, op: op), output = try pointer(hidden, op: op)
        let failure = FirstError()
        forStepParts(plan.batch, hidden: H) { rows, units in
            for b in rows {
                for gate in 0..<4 {
                    let column = gate * H + units.lowerBound
                    (act + b * width + column).update(from: source + (b * steps + step) * width + column, count: units.count)
                }
            }
            do {
                if let h { try multiply(rows: rows, of: h, lda: H, by: weight, columns: units, into: act, ldc: width, beta: 1) }
            } catch {
                failure.record(error)
                return
            }
            Self.lstmCellRows(
                rows, units: units, hidden: H, gates: act, previous: p, previousShared: plan.previousRows == 1, activated: act, cell: c,
                output: output)
        }
        try failure.rethrow()
    }

    /// Backward step `step`: the gradient of this step's `h` (step `step` of `gradSequence`,
    /// plus `gradLast`, plus `gradNext · weight_hhᵀ` from the step after) into `gradHidden`, then
    /// the cell's backward (as `lstmCellBackward`) into `gradGates`, which is also copied into
    /// step `step` of `gradProjected` (`[batch, steps, 4·hidden]`). `transposedWeight` is
    /// `weight_hhᵀ` packed.
    public func lstmStepBackward(
        gradSequence: Tensor?, gradLast: Tensor?, gradNext: Tensor?, transposedWeight: PackedGemmOperand, step: Int,
        activated: Tensor, previousCell: Tensor?, cell: Tensor, gradCell: Tensor?, gradHidden: Tensor, gradGates: Tensor,
        gradPrevious: Tensor?, gradProjected: Tensor
    ) throws {
        let op = "lstmStepBackward"
        let plan = try LSTMCellPlan(
            op, gates: activated, previous: previousCell, rows: [cell, gradLast, gradCell, gradHidden, gradPrevious],
            gateTensors: [gradGates, gradNext], on: self)
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
        let next = try gradNext.map { try pointer($0, op: op) }, dh = try pointer(gradHidden, op: op)
        let act = try pointer(activated, op: op), p = try previousCell.map { try pointer($0, op: op) }
        let c = try pointer(cell, op: op), dc = try gradCell.map { try pointer($0, op: op) }
        let da = try pointer(gradGates, op: op), dp = try gradPrevious.map { try pointer($0, op: op) }
        let target = try pointer(gradProjected, op: op)
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
                if let next {
                    try multiply(rows: rows, of: next, lda: width, by: transposedWeight, columns: units, into: dh, ldc: H, beta: 1)
                }
            } catch {
                failure.record(error)
                return
            }
            Self.lstmCellBackwardRows(
                rows, units: units, hidden: H, activated: act, previous: p, previousShared: plan.previousRows == 1, cell: c,
                gradHidden: dh, gradCell: dc, gradGates: da, gradPrevious: dp)
            for b in rows {
                for gate in 0..<4 {
                    let column = gate * H + units.lowerBound
                    (target + (b * steps + step) * width + column).update(from: da + b * width + column, count: units.count)
                }
            }
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

    /// Runs `body` over the step's batch rows × hidden units in parallel parts, each of about
    /// `minimumChunkWork` multiply-adds or more, two per thread so that a thread left free takes
    /// over from one another process holds up. Where the hidden units make whole column tiles
    /// (`GemmBlocking.tileColumns`) for every part, the parts are ranges of units over all rows:
    /// every thread gets the same work, where 64 rows in tiles of 6 split 36 + 28. Otherwise the
    /// parts are whole register tiles of rows over all units.
    private func forStepParts(_ batch: Int, hidden: Int, _ body: (_ rows: Range<Int>, _ units: Range<Int>) -> Void) {
        let slice = GemmBlocking.tileColumns
        let slices = hidden / slice
        if slices >= 2 * threadCount {
            parallelFor(slices, grain: max(1, Self.minimumChunkWork / max(1, 4 * hidden * batch * slice)), chunksPerThread: 2) { range in
                body(0..<batch, (range.lowerBound * slice)..<(range.upperBound == slices ? hidden : range.upperBound * slice))
            }
            return
        }
        let tileRows = GemmBlocking.tileRows
        let tiles = (batch + tileRows - 1) / tileRows
        parallelFor(tiles, grain: max(1, Self.minimumChunkWork / max(1, 4 * hidden * hidden * tileRows)), chunksPerThread: 2) { range in
            body((range.lowerBound * tileRows)..<min(batch, range.upperBound * tileRows), 0..<hidden)
        }
    }
}
