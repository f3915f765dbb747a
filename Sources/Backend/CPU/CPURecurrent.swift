import Foundation

extension CPUDevice: RecurrentOps {
    public func lstmCell(gates: Tensor, previous: Tensor?, activated: Tensor, cell: Tensor, hidden: Tensor) throws {
        let op = "lstmCell"
        let plan = try LSTMCellPlan(op, gates: gates, previous: previous, rows: [cell, hidden], gateTensors: [activated], on: self)
        let a = try pointer(gates, op: op), act = try pointer(activated, op: op)
        let c = try pointer(cell, op: op), h = try pointer(hidden, op: op)
        let p = try previous.map { try pointer($0, op: op) }
        let H = plan.hidden
        parallelFor(plan.batch, grain: Self.rowGrain(hidden: H)) { rows in
            for b in rows {
                let row = b * 4 * H
                for j in 0..<H {
                    let i = ScalarMath.sigmoid(a[row + j]), f = ScalarMath.sigmoid(a[row + H + j])
                    let g = ScalarMath.tanh(a[row + 2 * H + j]), o = ScalarMath.sigmoid(a[row + 3 * H + j])
                    let before = p.map { $0[(plan.previousRows == 1 ? 0 : b) * H + j] } ?? 0
                    let state = f * before + i * g
                    (act[row + j], act[row + H + j], act[row + 2 * H + j], act[row + 3 * H + j]) = (i, f, g, o)
                    c[b * H + j] = state
                    h[b * H + j] = o * ScalarMath.tanh(state)
                }
            }
        }
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
        let H = plan.hidden
        parallelFor(plan.batch, grain: Self.rowGrain(hidden: H)) { rows in
            for b in rows {
                let row = b * 4 * H
                for j in 0..<H {
                    let (i, f, g, o) = (act[row + j], act[row + H + j], act[row + 2 * H + j], act[row + 3 * H + j])
                    let before = p.map { $0[(plan.previousRows == 1 ? 0 : b) * H + j] } ?? 0
                    let squashed = ScalarMath.tanh(c[b * H + j])
                    let gradOutput = dh?[b * H + j] ?? 0
                    let gradState = (dc?[b * H + j] ?? 0) + gradOutput * o * (1 - squashed * squashed)
                    da[row + j] = gradState * g * i * (1 - i)
                    da[row + H + j] = gradState * before * f * (1 - f)
                    da[row + 2 * H + j] = gradState * i * (1 - g * g)
                    da[row + 3 * H + j] = gradOutput * squashed * o * (1 - o)
                    dp?[b * H + j] = gradState * f
                }
            }
        }
    }

    /// Rows of a cell op one parallel chunk should at least hold (about 4,096 values).
    private static func rowGrain(hidden: Int) -> Int { max(1, 4096 / max(1, hidden)) }
}
