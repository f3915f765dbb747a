/// The elementwise part of an LSTM step, fused: from the pre-activation gates (PyTorch's order
/// i, f, g, o) and the previous cell to the new cell and output, and back.
public protocol RecurrentOps {
    /// `activated = (σ(i), σ(f), tanh(g), σ(o))`, `cell = σ(f)·previous + σ(i)·tanh(g)`,
    /// `hidden = σ(o)·tanh(cell)`. `gates` and `activated` are `[batch, 4·hidden]`, `cell` and
    /// `hidden` `[batch, hidden]`; `previous` is `[batch, hidden]`, `[1, hidden]` (shared by every
    /// row) or nil (zeros).
    func lstmCell(gates: Tensor, previous: Tensor?, activated: Tensor, cell: Tensor, hidden: Tensor) throws
    /// The gradients of the pre-activation gates (`[batch, 4·hidden]`) and, when asked, of the
    /// previous cell (`[batch, hidden]`, per row even when `previous` is shared), from the
    /// gradients of `hidden` and `cell` (nil: zero).
    func lstmCellBackward(
        activated: Tensor, previous: Tensor?, cell: Tensor, gradHidden: Tensor?, gradCell: Tensor?, into gradGates: Tensor,
        gradPrevious: Tensor?) throws
}

/// The sizes of one LSTM cell op, checked.
struct LSTMCellPlan {
    let batch: Int
    let hidden: Int
    /// Rows of the previous cell: `batch`, 1 (shared) or 0 (none).
    let previousRows: Int

    init(_ op: String, gates: Tensor, previous: Tensor?, rows: [Tensor?], gateTensors: [Tensor?], on device: any DeviceCore) throws {
        guard gates.rank == 2, gates.shape[1] % 4 == 0, gates.shape[1] > 0 else {
            throw BackendError.shapeMismatch(op: op, detail: "gates must be [batch, 4·hidden], have shape \(gates.shape)")
        }
        let (batch, hidden) = (gates.shape[0], gates.shape[1] / 4)
        (self.batch, self.hidden) = (batch, hidden)
        for tensor in gateTensors.compactMap({ $0 }) where tensor.count != gates.count {
            throw BackendError.shapeMismatch(op: op, detail: "a gate tensor has \(tensor.count) elements, the gates \(gates.count)")
        }
        for tensor in rows.compactMap({ $0 }) where tensor.count != batch * hidden {
            throw BackendError.shapeMismatch(op: op, detail: "a state of \(tensor.count) elements for \(batch) rows of \(hidden)")
        }
        if let previous, previous.count != batch * hidden, previous.count != hidden {
            throw BackendError.shapeMismatch(
                op: op, detail: "the previous cell has \(previous.count) elements, not \(batch)×\(hidden) nor \(hidden)")
        }
        previousRows = previous.map { $0.count == hidden && batch != 1 ? 1 : batch } ?? 0
        for tensor in ([gates, previous] + rows + gateTensors).compactMap({ $0 }) { try device.checkOwnership(tensor, op: op) }
    }
}
