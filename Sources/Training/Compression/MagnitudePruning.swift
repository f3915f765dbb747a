import NN

/// What magnitude pruning did to a model.
public struct PruningReport: Sendable, Equatable {
    /// The sparsity asked for and the one reached over the pruned tensors.
    public let targetSparsity: Double
    public let achievedSparsity: Double
    /// The tensors pruned (weight matrices and kernels) and their sparsity afterwards.
    public let tensorSparsity: [String: Double]
    /// Values in the pruned tensors, and how many of them are zero now.
    public let prunedTensorValues: Int
    public let zeroValues: Int
    /// Bytes of all parameters stored densely (Float32).
    public let denseBytes: Int
    /// Bytes when the pruned tensors are stored sparsely (their nonzero Float32 values and a
    /// one-bit-per-value mask) and the rest densely.
    public let sparseBytes: Int
}

/// Magnitude pruning: sets the smallest-magnitude weights of weight matrices and convolution
/// kernels (parameters of rank ≥ 2; biases and normalization parameters are left) to zero.
public enum MagnitudePruning {
    /// Where the smallest weights are counted.
    public enum Scope: String, Sendable, Equatable, CaseIterable {
        /// Each tensor loses the same fraction of its weights.
        case perTensor = "per_tensor"
        /// One threshold across all tensors: layers with many small weights lose more.
        case global
    }

    /// Zeroes `sparsity` (in [0, 1)) of the prunable weights of `model` by magnitude; exactly
    /// `round(sparsity · n)` values per tensor (per-tensor) or over all (global), ties broken
    /// by position.
    @discardableResult
    public static func prune(_ model: any LayerContainer, sparsity: Double, scope: Scope = .perTensor) throws -> PruningReport {
        guard sparsity >= 0, sparsity < 1 else {
            throw TrainingError.invalidArgument(op: "MagnitudePruning", detail: "sparsity must lie in [0, 1), got \(sparsity)")
        }
        let prunable = model.namedParameters.filter { $0.variable.shape.count >= 2 }
        var values = try prunable.map { try $0.variable.value.toArray() }
        switch scope {
        case .perTensor:
            for index in values.indices {
                let count = Int((sparsity * Double(values[index].count)).rounded())
                for position in smallest(count, of: values[index].indices.map { (index, $0) }, in: values) {
                    values[index][position.1] = 0
                }
            }
        case .global:
            let all = values.indices.flatMap { tensor in values[tensor].indices.map { (tensor, $0) } }
            let count = Int((sparsity * Double(all.count)).rounded())
            for position in smallest(count, of: all, in: values) { values[position.0][position.1] = 0 }
        }
        for (named, newValues) in zip(prunable, values) { try named.variable.value.assign(newValues) }

        let zeros = values.map { $0.filter { $0 == 0 }.count }
        let prunedCount = values.reduce(0) { $0 + $1.count }
        let totalCount = model.parameterCount
        let sparseBytes = (totalCount - prunedCount) * 4
            + zip(values, zeros).reduce(0) { $0 + ($1.0.count - $1.1) * 4 + ($1.0.count + 7) / 8 }
        return PruningReport(
            targetSparsity: sparsity,
            achievedSparsity: prunedCount > 0 ? Double(zeros.reduce(0, +)) / Double(prunedCount) : 0,
            tensorSparsity: Dictionary(uniqueKeysWithValues: zip(prunable.map(\.name), zip(zeros, values).map {
                Double($0) / Double(max($1.count, 1))
            })),
            prunedTensorValues: prunedCount, zeroValues: zeros.reduce(0, +), denseBytes: totalCount * 4, sparseBytes: sparseBytes)
    }

    /// The `count` positions (tensor, index) among `positions` whose values have the smallest
    /// magnitude, ties broken by position.
    private static func smallest(_ count: Int, of positions: [(Int, Int)], in values: [[Float]]) -> [(Int, Int)] {
        guard count > 0 else { return [] }
        return Array(positions.sorted { a, b in
            let left = abs(values[a.0][a.1])
            let right = abs(values[b.0][b.1])
            return left != right ? left < right : (a.0, a.1) < (b.0, b.1)
        }.prefix(count))
    }
}
