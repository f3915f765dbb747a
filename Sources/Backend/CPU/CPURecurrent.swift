import Foundation

extension CPUDevice: RecurrentOps {
    public func lstmCell(gates: Tensor, previous: Tensor?, activated: Tensor, cell: Tensor, hidden: Tensor) throws {
        let op = "lstmCell"
        let plan = try LSTMCellPlan(op, gates: gates, previous: previous, rows: [cell, hidden], gateTensors: [activated], on: self)
        let a = try pointer(gates, op: op), act = try pointer(activated, op: op)
        let c = try pointer(cell, op: op), h = try pointer(hidden, op: op)
        let p = try previous.map { try pointer($0, op: op) }
        parallelFor(plan.batch, grain: Self.rowGrain(hidden: plan.hidden)) { rows in
            Self.lstmCellRows(
                rows, units: 0..<plan.hidden, hidden: plan.hidden, gates: a, gateStride: 4 * plan.hidden, addend: nil, addendStride: 0,
                previous: p, previousShared: plan.previousRows == 1, activated: act, cell: c, output: h)
        }
    }

    /// `lstmCell` for the hidden units `units` of the batch rows `rows`, on the calling thread,
    /// with row `b` of the gates at `gates + b * gateStride`, plus the row at
    /// `addend + b * addendStride` when given. `activated` (rows `4·hidden` apart) may be `gates`.
    static func lstmCellRows(
        _ rows: Range<Int>, units: Range<Int>, hidden H: Int, gates a: UnsafePointer<Float>, gateStride: Int, addend: UnsafePointer<Float>?,
        addendStride: Int, previous p: UnsafeMutablePointer<Float>?, previousShared: Bool, activated act: UnsafeMutablePointer<Float>,
        cell c: UnsafeMutablePointer<Float>, output h: UnsafeMutablePointer<Float>
    ) {
        for b in rows {
            let (gate, out, state, output) = (a + b * gateStride, act + b * 4 * H, c + b * H, h + b * H)
            let added = addend.map { $0 + b * addendStride }
            let before = p.map { $0 + (previousShared ? 0 : b) * H }
            // Eight values at a time, then the rest one by one.
            let vectorEnd = units.upperBound - units.count % 8
            for j in stride(from: units.lowerBound, to: vectorEnd, by: 8) {
                typealias V = VectorMath
                func load(_ column: Int) -> V.Vector {
                    added.map { V.load(gate + column) + V.load($0 + column) } ?? V.load(gate + column)
                }
                let i = V.sigmoid(load(j)), f = V.sigmoid(load(H + j))
                let g = V.tanh(load(2 * H + j)), o = V.sigmoid(load(3 * H + j))
                let next = f * (before.map { V.load($0 + j) } ?? .zero) + i * g
                V.store(i, out + j)
                V.store(f, out + H + j)
                V.store(g, out + 2 * H + j)
                V.store(o, out + 3 * H + j)
                V.store(next, state + j)
                V.store(o * V.tanh(next), output + j)
            }
            for j in vectorEnd..<units.upperBound {
                func load(_ column: Int) -> Float { added.map { gate[column] + $0[column] } ?? gate[column] }
                let i = ScalarMath.sigmoid(load(j)), f = ScalarMath.sigmoid(load(H + j))
                let g = ScalarMath.tanh(load(2 * H + j)), o = ScalarMath.sigmoid(load(3 * H + j))
                let next = f * (before?[j] ?? 0) + i * g
                (out[j], out[H + j], out[2 * H + j], out[3 * H + j]) = (i, f, g, o)
                state[j] = next
                output[j] = o * ScalarMath.tanh(next)
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
        parallelFor(plan.batch, grain: Self.rowGrain(hidden: plan.hidden)) { rows in
            Self.lstmCellBackwardRows(
                rows, units: 0..<plan.hidden, hidden: plan.hidden, activated: act, previous: p, previousShared: plan.previousRows == 1,
                cell: c, gradHidden: dh, gradCell: dc, gradGates: da, gradGateStride: 4 * plan.hidden, gradPrevious: dp)
        }
    }

    /// `lstmCellBackward` for the hidden units `units` of the batch rows `rows`, on the calling
    /// thread, row `b` of the gate gradients at `gradGates + b * gradGateStride`.
    static func lstmCellBackwardRows(
        _ rows: Range<Int>, units: Range<Int>, hidden H: Int, activated act: UnsafeMutablePointer<Float>, previous p: UnsafeMutablePointer<Float>?,
        previousShared: Bool, cell c: UnsafeMutablePointer<Float>, gradHidden dh: UnsafeMutablePointer<Float>?, gradCell dc: UnsafeMutablePointer<Float>?,
        gradGates da: UnsafeMutablePointer<Float>, gradGateStride: Int, gradPrevious dp: UnsafeMutablePointer<Float>?
    ) {
        for b in rows {
            let (gate, grad, state) = (act + b * 4 * H, da + b * gradGateStride, c + b * H)
            let before = p.map { $0 + (previousShared ? 0 : b) * H }
            let (gradOutputRow, gradStateRow, gradBeforeRow) = (dh.map { $0 + b * H }, dc.map { $0 + b * H }, dp.map { $0 + b * H })
            let vectorEnd = units.upperBound - units.count % 8
            for j in stride(from: units.lowerBound, to: vectorEnd, by: 8) {
                typealias V = VectorMath
                let (i, f, g, o) = (V.load(gate + j), V.load(gate + H + j), V.load(gate + 2 * H + j), V.load(gate + 3 * H + j))
                let squashed = V.tanh(V.load(state + j))
                let gradOutput = gradOutputRow.map { V.load($0 + j) } ?? .zero
                let gradState = (gradStateRow.map { V.load($0 + j) } ?? .zero) + gradOutput * o * (1 - squashed * squashed)
                V.store(gradState * g * i * (1 - i), grad + j)
                V.store(gradState * (before.map { V.load($0 + j) } ?? .zero) * f * (1 - f), grad + H + j)
                V.store(gradState * i * (1 - g * g), grad + 2 * H + j)
                V.store(gradOutput * squashed * o * (1 - o), grad + 3 * H + j)
                if let gradBeforeRow { V.store(gradState * f, gradBeforeRow + j) }
            }
            for j in vectorEnd..<units.upperBound {
                let (i, f, g, o) = (gate[j], gate[H + j], gate[2 * H + j], gate[3 * H + j])
                let squashed = ScalarMath.tanh(state[j])
                let gradOutput = gradOutputRow?[j] ?? 0
                let gradState = (gradStateRow?[j] ?? 0) + gradOutput * o * (1 - squashed * squashed)
                grad[j] = gradState * g * i * (1 - i)
                grad[H + j] = gradState * (before?[j] ?? 0) * f * (1 - f)
                grad[2 * H + j] = gradState * i * (1 - g * g)
                grad[3 * H + j] = gradOutput * squashed * o * (1 - o)
                gradBeforeRow?[j] = gradState * f
            }
        }
    }

    /// Rows of a cell op one parallel chunk should at least hold (about 4,096 values).
    private static func rowGrain(hidden: Int) -> Int { max(1, 4096 / max(1, hidden)) }
}
