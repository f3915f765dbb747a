import Backend
import NN
import TestSupport
import Testing

/// Checks a network's gradients against central differences in Float on the same device.
///
/// The scalar checked is `Σ output ⊙ weights` for fixed random weights, so every output
/// element's gradient matters. Inputs and parameters are perturbed one element at a time.
struct GradientCheck {
    let forward: (Variable, Tape) throws -> Variable
    let parameters: [Variable]
    let step: Float = 1e-2
    let tolerance: Double = 2e-2
    /// Whether the input's gradient is checked too (not for inputs of token ids).
    var checksInput = true

    /// Runs the check for `input` and records any element whose analytic and numeric
    /// gradients disagree.
    func run(input: Tensor, seed: UInt64, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let device = input.device
        let x = Variable(input, requiresGrad: checksInput, name: "input")
        let probeShape = try forward(x, Tape.inference()).shape
        let weights = try randomTensor(probeShape, seed: seed, on: device)
        func objective(tape: Tape) throws -> Variable {
            let output = try forward(x, tape)
            return try tape.sum(tape.mul(output, Variable(weights)))
        }
        for parameter in parameters { parameter.zeroGrad() }
        let tape = Tape(training: true)
        try tape.backward(objective(tape: tape))
        for variable in (checksInput ? [x] : []) + parameters {
            guard let analytic = try variable.grad?.toArray() else {
                Issue.record("\(variable.name) has no gradient", sourceLocation: sourceLocation)
                continue
            }
            let numeric = try numericGradient(of: variable) {
                try objective(tape: Tape(recording: false, training: true)).value.item()
            }
            expectClose(analytic, numeric, tolerance: tolerance, "gradient of \(variable.name)", sourceLocation: sourceLocation)
        }
    }

    private func numericGradient(of variable: Variable, _ f: () throws -> Float) throws -> [Double] {
        var values = try variable.value.toArray()
        var result: [Double] = []
        for i in values.indices {
            let original = values[i]
            values[i] = original + step
            try variable.value.assign(values)
            let up = try f()
            values[i] = original - step
            try variable.value.assign(values)
            let down = try f()
            values[i] = original
            try variable.value.assign(values)
            result.append((Double(up) - Double(down)) / (2 * Double(step)))
        }
        return result
    }
}
