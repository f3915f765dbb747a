import Backend
import Foundation

extension ParityCatalog {
    /// The fused LSTM cell forward and backward, without a previous cell, with one shared by every
    /// row and with one per row; gradients against central differences of the Double forward pass.
    public static let recurrent: [ParityCase] = [RecurrentCatalog.cellForward, RecurrentCatalog.cellBackward]
}

/// The LSTM cell cases and their Double reference.
enum RecurrentCatalog {
    static let family = "recurrent"

    /// (batch, hidden, rows of the previous cell: 0 none, 1 shared, batch per row).
    static let sizes = [(3, 5, 0), (4, 7, 1), (2, 33, 2), (1, 4, 1)]

    /// `(activated, cell, hidden)` of one LSTM step in Double.
    static func reference(gates: [Double], previous: [Double], batch: Int, hidden: Int, previousRows: Int)
        -> (activated: [Double], cell: [Double], hidden: [Double])
    {
        var activated = [Double](repeating: 0, count: gates.count)
        var cell = [Double](repeating: 0, count: batch * hidden), output = cell
        func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
        for b in 0..<batch {
            let row = b * 4 * hidden
            for j in 0..<hidden {
                let i = sigmoid(gates[row + j]), f = sigmoid(gates[row + hidden + j])
                let g = tanh(gates[row + 2 * hidden + j]), o = sigmoid(gates[row + 3 * hidden + j])
                let before = previousRows == 0 ? 0 : previous[(previousRows == 1 ? 0 : b) * hidden + j]
                (activated[row + j], activated[row + hidden + j], activated[row + 2 * hidden + j], activated[row + 3 * hidden + j]) = (i, f, g, o)
                cell[b * hidden + j] = f * before + i * g
                output[b * hidden + j] = o * tanh(cell[b * hidden + j])
            }
        }
        return (activated, cell, output)
    }

    static func checks(_ trial: @escaping @Sendable (_ batch: Int, _ hidden: Int, _ previousRows: Int) -> ParityTrial) -> [ParityCheck] {
        sizes.map { batch, hidden, previousRows in
            ParityCheck(shape: [batch, 4 * hidden], variant: ["no previous cell", "shared previous cell", "previous cell per row"][min(previousRows, 2)]) {
                trial(batch, hidden, previousRows)
            }
        }
    }

    static let cellForward = ParityCase(family: family, op: "lstmCell", tolerance: 1e-5, checks: checks { batch, hidden, previousRows in
        let gates = randomValues(batch * 4 * hidden, in: -3...3, seed: 91)
        let previous = randomValues(max(previousRows, 1) * hidden, in: -2...2, seed: 92)
        return ParityTrial(
            run: { device in
                let activated = try poisonedTensor([batch, 4 * hidden], on: device)
                let cell = try poisonedTensor([batch, hidden], on: device), output = try poisonedTensor([batch, hidden], on: device)
                try device.lstmCell(
                    gates: Tensor(gates, shape: [batch, 4 * hidden], on: device),
                    previous: previousRows == 0 ? nil : try Tensor(previous, shape: [previousRows, hidden], on: device),
                    activated: activated, cell: cell, hidden: output)
                return try activated.toArray() + cell.toArray() + output.toArray()
            },
            reference: {
                let result = reference(
                    gates: gates.map(Double.init), previous: previous.map(Double.init), batch: batch, hidden: hidden, previousRows: previousRows)
                return result.activated + result.cell + result.hidden
            })
    })

    /// The gradients of the gates and (when there is one) of the previous cell, per row, for
    /// upstream gradients of both the output and the cell.
    static let cellBackward = ParityCase(family: family, op: "lstmCellBackward", tolerance: 1e-4, checks: checks { batch, hidden, previousRows in
        let gates = randomValues(batch * 4 * hidden, in: -3...3, seed: 93)
        let perRow = randomValues(batch * hidden, in: -2...2, seed: 94)
        // A shared previous cell is the first row repeated, so per-row gradients are well defined.
        let previous = previousRows == 1 ? Array(perRow[0..<hidden]) : perRow
        let upstream = randomValues(2 * batch * hidden, seed: 95)
        return ParityTrial(
            run: { device in
                let activated = try poisonedTensor([batch, 4 * hidden], on: device)
                let cell = try poisonedTensor([batch, hidden], on: device), output = try poisonedTensor([batch, hidden], on: device)
                let previousTensor = previousRows == 0 ? nil : try Tensor(previous, shape: [previous.count / hidden, hidden], on: device)
                try device.lstmCell(
                    gates: Tensor(gates, shape: [batch, 4 * hidden], on: device), previous: previousTensor, activated: activated, cell: cell,
                    hidden: output)
                let gradGates = try poisonedTensor([batch, 4 * hidden], on: device)
                let gradPrevious = previousRows == 0 ? nil : try poisonedTensor([batch, hidden], on: device)
                try device.lstmCellBackward(
                    activated: activated, previous: previousTensor, cell: cell,
                    gradHidden: Tensor(Array(upstream[0..<batch * hidden]), shape: [batch, hidden], on: device),
                    gradCell: Tensor(Array(upstream[(batch * hidden)...]), shape: [batch, hidden], on: device),
                    into: gradGates, gradPrevious: gradPrevious)
                return try gradGates.toArray() + (gradPrevious?.toArray() ?? [])
            },
            reference: {
                let gateCount = gates.count
                // The previous cell enters per row here (a shared one is the same row repeated).
                var inputs = gates.map(Double.init)
                if previousRows > 0 {
                    for b in 0..<batch {
                        let row = previousRows == 1 ? 0 : b
                        inputs += previous[row * hidden..<(row + 1) * hidden].map(Double.init)
                    }
                }
                return finiteDifferenceGradient(
                    of: { x in
                        let result = reference(
                            gates: Array(x[0..<gateCount]), previous: Array(x[gateCount...]), batch: batch, hidden: hidden,
                            previousRows: previousRows == 0 ? 0 : batch)
                        return weightedSum(result.hidden + result.cell, upstream)
                    },
                    at: inputs)
            })
    })
}
