import Backend

extension Tape {
    /// One LSTM step after the gate products, fused into one op: from the pre-activation `gates`
    /// (`[batch, 4·hidden]`, order i, f, g, o) and the `previous` cell (`[batch, hidden]`,
    /// `[1, hidden]` shared by every row, or nil for zeros) to the new output and cell.
    public func lstmCell(_ gates: Variable, previous: Variable?) throws -> (hidden: Variable, cell: Variable) {
        guard gates.shape.count == 2, gates.shape[1] % 4 == 0 else {
            throw BackendError.shapeMismatch(op: "lstmCell", detail: "gates must be [batch, 4·hidden], have shape \(gates.shape)")
        }
        let device = gates.device
        let (batch, size) = (gates.shape[0], gates.shape[1] / 4)
        let activated = try output(gates.shape, on: device)
        let cell = try output([batch, size], on: device)
        let hidden = try output([batch, size], on: device)
        try device.lstmCell(gates: gates.value, previous: previous?.value, activated: activated, cell: cell, hidden: hidden)
        let outputs = record([hidden, cell], inputs: [gates] + (previous.map { [$0] } ?? [])) { gradients in
            let gradGates = try output(gates.shape, on: device)
            let gradPrevious = previous?.requiresGrad == true ? try output([batch, size], on: device) : nil
            try device.lstmCellBackward(
                activated: activated, previous: previous?.value, cell: cell, gradHidden: gradients[0], gradCell: gradients[1],
                into: gradGates, gradPrevious: gradPrevious)
            try gates.accumulate(gradGates, owned: true)
            if let previous, let gradPrevious {
                try previous.accumulate(reduce(gradPrevious, toShape: previous.shape), owned: true)
            }
        }
        return (outputs[0], outputs[1])
    }
}
