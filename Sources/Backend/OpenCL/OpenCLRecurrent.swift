extension OpenCLDevice: RecurrentOps {
    public func lstmCell(gates: Tensor, previous: Tensor?, activated: Tensor, cell: Tensor, hidden: Tensor) throws {
        let op = "lstmCell"
        let plan = try LSTMCellPlan(op, gates: gates, previous: previous, rows: [cell, hidden], gateTensors: [activated], on: self)
        try checkKernelIndexRange(gates.count, op: op)
        let grid = [plan.hidden, plan.batch]
        try launch("recurrent", "lstm_cell_forward", global: grid, local: valueGroup(grid), [
            .tensor(gates), .tensor(previous ?? gates), .tensor(activated), .tensor(cell), .tensor(hidden),
            .size(plan.batch), .size(plan.hidden), .size(plan.previousRows),
        ])
    }

    public func lstmCellBackward(
        activated: Tensor, previous: Tensor?, cell: Tensor, gradHidden: Tensor?, gradCell: Tensor?, into gradGates: Tensor,
        gradPrevious: Tensor?
    ) throws {
        let op = "lstmCellBackward"
        let plan = try LSTMCellPlan(
            op, gates: activated, previous: previous, rows: [cell, gradHidden, gradCell, gradPrevious], gateTensors: [gradGates], on: self)
        try checkKernelIndexRange(activated.count, op: op)
        let has = (gradHidden == nil ? 0 : 1) | (gradCell == nil ? 0 : 2) | (gradPrevious == nil ? 0 : 4)
        let grid = [plan.hidden, plan.batch]
        try launch("recurrent", "lstm_cell_backward", global: grid, local: valueGroup(grid), [
            .tensor(activated), .tensor(previous ?? cell), .tensor(cell), .tensor(gradHidden ?? cell), .tensor(gradCell ?? cell),
            .tensor(gradGates), .tensor(gradPrevious ?? cell), .size(plan.batch), .size(plan.hidden), .size(plan.previousRows),
            .size(has),
        ])
    }
}
