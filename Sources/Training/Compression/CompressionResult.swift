import Backend
import Foundation

/// A compression's size and quality, before and after.
public struct CompressionResult: Sendable, CustomStringConvertible {
    /// What was done, e.g. `magnitude pruning to 50% sparsity (per_tensor)`.
    public let method: String
    /// Bytes of the model's parameters before and after.
    public let bytesBefore: Int
    public let bytesAfter: Int
    /// Loss and metrics on the evaluation data before and after.
    public let before: Evaluation
    public let after: Evaluation

    public var description: String {
        let names = before.metrics.keys.sorted()
        let quality = (["loss"] + names).map { name -> String in
            let old = name == "loss" ? before.loss : before.metrics[name] ?? .nan
            let new = name == "loss" ? after.loss : after.metrics[name] ?? .nan
            return "\(name) \(String(format: "%.4f", old)) → \(String(format: "%.4f", new))"
        }
        let ratio = bytesAfter > 0 ? Double(bytesBefore) / Double(bytesAfter) : 0
        return "\(method): size \(ByteCount.format(bytesBefore)) → \(ByteCount.format(bytesAfter)) (\(String(format: "%.1f", ratio))× smaller); "
            + quality.joined(separator: ", ")
    }
}

extension Trainer {
    /// Prunes the model to `sparsity` by magnitude and evaluates it on `dataset` before and
    /// after. The pruned weights stay in the model when `keep` is true; otherwise the original
    /// weights are put back.
    public func evaluatePruning(
        sparsity: Double, scope: MagnitudePruning.Scope = .perTensor, on dataset: Dataset, keep: Bool = false
    ) throws -> (result: CompressionResult, report: PruningReport) {
        let original = try ModelSnapshot(of: model)
        let before = try evaluate(dataset)
        let report = try MagnitudePruning.prune(model, sparsity: sparsity, scope: scope)
        let after = try evaluate(dataset)
        if !keep { try original.restore(into: model) }
        let method = "magnitude pruning to \(String(format: "%.0f", report.achievedSparsity * 100))% sparsity (\(scope.rawValue))"
        return (CompressionResult(method: method, bytesBefore: report.denseBytes, bytesAfter: report.sparseBytes, before: before, after: after), report)
    }

    /// Quantizes the weights to int8 and evaluates the dequantized model on `dataset` before and
    /// after. The dequantized weights stay in the model when `keep` is true.
    public func evaluateQuantization(
        granularity: Int8Quantization.Granularity = .perChannel, on dataset: Dataset, keep: Bool = false
    ) throws -> (result: CompressionResult, model: QuantizedModel) {
        let original = try ModelSnapshot(of: model)
        let before = try evaluate(dataset)
        let quantized = try Int8Quantization.quantize(model, granularity: granularity)
        try quantized.dequantize(into: model)
        let after = try evaluate(dataset)
        if !keep { try original.restore(into: model) }
        let floatBytes = original.arrays.reduce(0) { $0 + 4 * $1.values.count }
        return (
            CompressionResult(
                method: "int8 weight quantization (\(granularity.rawValue))", bytesBefore: floatBytes, bytesAfter: quantized.byteCount,
                before: before, after: after),
            quantized
        )
    }
}
