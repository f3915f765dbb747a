/// Layer normalization, fused: each row's statistics and its normalized, scaled and shifted
/// output in one op forward, and all three gradients in one op backward, instead of about ten
/// elementwise ops and reductions each way.
///
/// The input is `[…, F]`, seen as `[R, F]`: `R` rows of `F` features, each row normalized over
/// its own `F` values; `gamma` and `beta` are `[F]`.
public protocol LayerNormalizationOps {
    /// Per row `r`: the mean `μ` and `1 / sqrt(σ² + epsilon)` with `σ²` the biased variance
    /// (written to `mean` and `inverseStd`, `[R]`), then
    /// `output = (x − μ) · inverseStd · gamma + beta`.
    func layerNorm(
        _ input: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float, into output: Tensor, mean: Tensor, inverseStd: Tensor
    ) throws
    /// The gradients of `layerNorm` from the output's gradient, with the `mean` and `inverseStd`
    /// it wrote: `gradBeta = Σ_r dy`, `gradGamma = Σ_r dy · x̂` (overwritten), and, when
    /// `gradInput` is given, per row `gradInput = inverseStd · (g − mean(g) − x̂ · mean(g · x̂))`
    /// with `g = dy · gamma` and `x̂ = (x − μ) · inverseStd`.
    func layerNormBackward(
        gradOutput: Tensor, input: Tensor, gamma: Tensor, mean: Tensor, inverseStd: Tensor,
        gradInput: Tensor?, gradGamma: Tensor, gradBeta: Tensor
    ) throws
}

/// The sizes of one layer-norm op, checked: `rows` rows of `features` values.
struct LayerNormPlan {
    let rows: Int
    let features: Int

    /// Checks that `input` has a last dimension `F > 0` and at least one row, that the `values`
    /// tensors have its element count, the `perFeature` tensors `F` and the `perRow` tensors
    /// `R`, and that every tensor lives on `device`.
    init(
        _ op: String, input: Tensor, values: [Tensor?], perFeature: [Tensor], perRow: [Tensor], on device: any DeviceCore
    ) throws {
        guard let last = input.shape.last, last > 0, input.count > 0 else {
            throw BackendError.shapeMismatch(op: op, detail: "the input must be […, F] with F > 0 and rows, has shape \(input.shape)")
        }
        (rows, features) = (input.count / last, last)
        for tensor in values.compactMap({ $0 }) where tensor.count != input.count {
            throw BackendError.shapeMismatch(
                op: op, detail: "a tensor of \(tensor.count) elements beside an input of shape \(input.shape)")
        }
        for tensor in perFeature where tensor.count != features {
            throw BackendError.shapeMismatch(
                op: op, detail: "a per-feature tensor of \(tensor.count) elements for \(features) features")
        }
        for tensor in perRow where tensor.count != rows {
            throw BackendError.shapeMismatch(op: op, detail: "a per-row tensor of \(tensor.count) elements for \(rows) rows")
        }
        for tensor in [input] + values.compactMap({ $0 }) + perFeature + perRow { try device.checkOwnership(tensor, op: op) }
    }
}
