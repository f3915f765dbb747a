import CLSTMKernels
import Foundation

extension CPUDevice: RecurrentOps {
    public func lstmCell(gates: Tensor, previous: Tensor?, activated: Tensor, cell: Tensor, hidden: Tensor) throws {
        let op = "lstmCell"
        let plan = try LSTMCellPlan(op, gates: gates, previous: previous, rows: [cell, hidden], gateTensors: [activated], on: self)
        let a = try pointer(gates, op: op), act = try pointer(activated, op: op)
        let c = try pointer(cell, op: op), h = try pointer(hidden, op: op)
        let p = try previous.map { try pointer($0, op: op) }
        let avx2 = Self.lstmCellAVX2
        parallelFor(plan.batch, grain: Self.rowGrain(hidden: plan.hidden)) { rows in
            Self.lstmCellRows(
                rows, units: 0..<plan.hidden, hidden: plan.hidden, gates: a, gateStride: 4 * plan.hidden, addend: nil, addendStride: 0,
                previous: p, previousShared: plan.previousRows == 1, activated: act, cell: c, output: h, avx2: avx2)
        }
    }

    /// `lstmCell` for the hidden units `units` of the batch rows `rows`, on the calling thread,
    /// with row `b` of the gates at `gates + b * gateStride`, plus the row at
    /// `addend + b * addendStride` when given. `activated` (rows `4·hidden` apart) may be `gates`.
    /// `avx2`: `lstmCellAVX2`, read before the parallel loop.
    static func lstmCellRows(
        _ rows: Range<Int>, units: Range<Int>, hidden H: Int, gates a: UnsafePointer<Float>, gateStride: Int, addend: UnsafePointer<Float>?,
        addendStride: Int, previous p: UnsafeMutablePointer<Float>?, previousShared: Bool, activated act: UnsafeMutablePointer<Float>,
        cell c: UnsafeMutablePointer<Float>, output h: UnsafeMutablePointer<Float>, avx2: Int32
    ) {
        swifttune_lstm_cell_rows(
            a, gateStride, addend, addendStride, p, previousShared ? 0 : H, act, c, h, H, rows.lowerBound, rows.upperBound, units.lowerBound,
            units.upperBound, avx2)
    }

    public func lstmCellBackward(
        activated: Tensor, previous: Tensor?, cell: Tensor, gradHidden: Tensor?, gradCell: Tensor?, into gradGates: Tensor,
        gradPrevious: Tensor?
    ) throws {
        let op = "lstmCellBackward"
        let plan = try LSTMCellPlan(
            op, gates: activated, previous: previous, rows: [cell, gradHidden, gradCell, gradPrevious], gateTensors: [gradGates], on: self)
        let act = try pointer(activated, op: op), c = try pointer(cell, op: op), da = try pointer(gradGates, op: op)
        let p = try previous.map { try pointer($0, op: op) }
        let dh = try gradHidden.map { try pointer($0, op: op) }, dc = try gradCell.map { try pointer($0, op: op) }
        let dp = try gradPrevious.map { try pointer($0, op: op) }
        let avx2 = Self.lstmCellAVX2
        parallelFor(plan.batch, grain: Self.rowGrain(hidden: plan.hidden)) { rows in
            Self.lstmCellBackwardRows(
                rows, units: 0..<plan.hidden, hidden: plan.hidden, activated: act, previous: p, previousShared: plan.previousRows == 1,
                cell: c, gradHidden: dh, gradCell: dc, gradGates: da, gradGateStride: 4 * plan.hidden, gradPrevious: dp, avx2: avx2)
        }
    }

    /// `lstmCellBackward` for the hidden units `units` of the batch rows `rows`, on the calling
    /// thread, row `b` of the gate gradients at `gradGates + b * gradGateStride`; `avx2` as for
    /// `lstmCellRows`.
    static func lstmCellBackwardRows(
        _ rows: Range<Int>, units: Range<Int>, hidden H: Int, activated act: UnsafeMutablePointer<Float>, previous p: UnsafeMutablePointer<Float>?,
        previousShared: Bool, cell c: UnsafeMutablePointer<Float>, gradHidden dh: UnsafeMutablePointer<Float>?, gradCell dc: UnsafeMutablePointer<Float>?,
        gradGates da: UnsafeMutablePointer<Float>, gradGateStride: Int, gradPrevious dp: UnsafeMutablePointer<Float>?, avx2: Int32
    ) {
        swifttune_lstm_cell_backward_rows(
            act, p, previousShared ? 0 : H, c, dh, dc, da, gradGateStride, dp, H, rows.lowerBound, rows.upperBound, units.lowerBound,
            units.upperBound, avx2)
    }

    /// Set by tests to run the cell's plain C build (false) or its AVX2 build (true) whatever the CPU.
    @TaskLocal static var lstmCellAVX2Override: Bool?
    /// Whether the cell's C loops (`CLSTMKernels`) run their AVX2 and FMA build: 1 on CPUs with
    /// both, else 0 (read it before a parallel loop: its threads do not see task locals).
    static var lstmCellAVX2: Int32 { (lstmCellAVX2Override ?? CPUInfo.current.hasAVX2AndFMA) ? 1 : 0 }

    /// Rows of a cell op one parallel chunk should at least hold (about 4,096 values).
    private static func rowGrain(hidden: Int) -> Int { max(1, 4096 / max(1, hidden)) }
}
