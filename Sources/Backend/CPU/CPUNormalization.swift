import Foundation

/// Batch normalization on the CPU: channels in blocks (`BatchNormBlocks`), blocks spread over
/// cores. A block's values (`N` runs of `S` per channel) are read once from memory and then from
/// cache: the forward pass sums them, sums their squared distances from the mean, and writes the
/// output; the backward pass sums `dy` and `dy · (x − μ)` in one sweep, then writes the input's
/// gradient. Each sweep goes image by image through the block's channels, so that memory is read
/// in stretches of the block's channels × `S` values rather than in runs of `S`. Each run is
/// summed in Float in 8 lanes and a channel's runs are added in Double, in image order.
extension CPUDevice: NormalizationOps {
    public func batchNorm(
        _ input: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float, relu: Bool, into output: Tensor, mean: Tensor,
        variance: Tensor
    ) throws {
        let op = "batchNorm"
        let plan = try BatchNormPlan(op, input: input, values: [output], perChannel: [gamma, beta, mean, variance], on: self)
        let x = try pointer(input, op: op), y = try pointer(output, op: op)
        let g = try pointer(gamma, op: op), b = try pointer(beta, op: op)
        let means = try pointer(mean, op: op), variances = try pointer(variance, op: op)
        let (channels, spatial, count) = (plan.channels, plan.spatial, Double(plan.perChannel))
        let blocks = BatchNormBlocks(plan)
        parallelFor(blocks.count, grain: blocks.grain, chunksPerThread: 4) { range in
            for block in range {
                let first = blocks.channels(of: block)
                /// The run of image `n` and channel `first.lowerBound + j`.
                func run(_ n: Int, _ j: Int) -> Int { (n * channels + first.lowerBound + j) * spatial }
                withUnsafeTemporaryAllocation(of: Double.self, capacity: first.count) { totals in
                    totals.initialize(repeating: 0)
                    for n in 0..<plan.batch {
                        for j in totals.indices { totals[j] += Double(Self.laneSum(x + run(n, j), spatial)) }
                    }
                    for j in totals.indices { means[first.lowerBound + j] = Float(totals[j] / count) }
                    totals.initialize(repeating: 0)
                    for n in 0..<plan.batch {
                        for j in totals.indices {
                            totals[j] += Double(Self.laneSquaredDistance(x + run(n, j), spatial, from: means[first.lowerBound + j]))
                        }
                    }
                    for j in totals.indices { variances[first.lowerBound + j] = Float(totals[j] / count) }
                }
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * first.count) { coefficients in
                    // coefficients[2j] is channel first.lowerBound + j's scale, coefficients[2j + 1] its shift.
                    for j in 0..<first.count {
                        let c = first.lowerBound + j
                        let scale = g[c] / (variances[c] + epsilon).squareRoot()
                        (coefficients[2 * j], coefficients[2 * j + 1]) = (scale, b[c] - means[c] * scale)
                    }
                    for n in 0..<plan.batch {
                        for j in 0..<first.count {
                            let (scale, shift) = (coefficients[2 * j], coefficients[2 * j + 1])
                            let (source, target) = (x + run(n, j), y + run(n, j))
                            if relu {
                                for i in 0..<spatial { target[i] = max(source[i] * scale + shift, 0) }
                            } else {
                                for i in 0..<spatial { target[i] = source[i] * scale + shift }
                            }
                        }
                    }
                }
            }
        }
    }

    public func batchNormBackward(
        gradOutput: Tensor, input: Tensor, gamma: Tensor, mean: Tensor, variance: Tensor, epsilon: Float,
        reluOutput: Tensor?, gradInput: Tensor?, gradGamma: Tensor, gradBeta: Tensor
    ) throws {
        let op = "batchNormBackward"
        let plan = try BatchNormPlan(
            op, input: input, values: [gradOutput, gradInput, reluOutput], perChannel: [gamma, mean, variance, gradGamma, gradBeta], on: self)
        let x = try pointer(input, op: op), dy = try pointer(gradOutput, op: op)
        let dx = try gradInput.map { try pointer($0, op: op) }
        let mask = try reluOutput.map { try pointer($0, op: op) }
        let g = try pointer(gamma, op: op), means = try pointer(mean, op: op), variances = try pointer(variance, op: op)
        let dg = try pointer(gradGamma, op: op), db = try pointer(gradBeta, op: op)
        let (channels, spatial, count) = (plan.channels, plan.spatial, Float(plan.perChannel))
        let blocks = BatchNormBlocks(plan)
        parallelFor(blocks.count, grain: blocks.grain, chunksPerThread: 4) { range in
            for block in range {
                let first = blocks.channels(of: block)
                withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * first.count) { totals in
                    totals.initialize(repeating: 0)
                    // totals[2j] sums dy, totals[2j + 1] sums dy · (x − μ) of channel first.lowerBound + j.
                    for n in 0..<plan.batch {
                        for c in first {
                            let offset = (n * channels + c) * spatial
                            let sums = mask.map {
                                Self.laneMaskedSumAndDot(dy + offset, where: $0 + offset, x + offset, spatial, centeredOn: means[c])
                            } ?? Self.laneSumAndDot(dy + offset, x + offset, spatial, centeredOn: means[c])
                            let j = 2 * (c - first.lowerBound)
                            totals[j] += Double(sums.sum)
                            totals[j + 1] += Double(sums.dot)
                        }
                    }
                    for c in first {
                        let j = 2 * (c - first.lowerBound)
                        let inverse = 1 / (variances[c] + epsilon).squareRoot()
                        (db[c], dg[c]) = (Float(totals[j]), Float(totals[j + 1]) * inverse)
                    }
                }
                guard let dx else { continue }
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 3 * first.count) { coefficients in
                    // dx = a·dy + b·x + d, the formula of `batchNormBackward` expanded; channel
                    // first.lowerBound + j's a, b and d are coefficients[3j ..< 3j + 3].
                    for j in 0..<first.count {
                        let c = first.lowerBound + j
                        let inverse = 1 / (variances[c] + epsilon).squareRoot()
                        let a = g[c] * inverse
                        let b = -a * inverse * dg[c] / count
                        (coefficients[3 * j], coefficients[3 * j + 1], coefficients[3 * j + 2]) = (a, b, -b * means[c] - a * db[c] / count)
                    }
                    for n in 0..<plan.batch {
                        for j in 0..<first.count {
                            let (a, b, d) = (coefficients[3 * j], coefficients[3 * j + 1], coefficients[3 * j + 2])
                            let offset = (n * channels + first.lowerBound + j) * spatial
                            let (gradient, source, target) = (dy + offset, x + offset, dx + offset)
                            if let mask {
                                let positive = mask + offset
                                let whole = spatial / 8 * 8
                                for i in stride(from: 0, to: whole, by: 8) {
                                    let masked = VectorMath.load(gradient + i).replacing(with: 0, where: VectorMath.load(positive + i) .<= 0)
                                    VectorMath.store(a * masked + b * VectorMath.load(source + i) + d, target + i)
                                }
                                for i in whole..<spatial { target[i] = a * (positive[i] > 0 ? gradient[i] : 0) + b * source[i] + d }
                            } else {
                                for i in 0..<spatial { target[i] = a * gradient[i] + b * source[i] + d }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `Σ x[i]` over `count` values, in 8 Float lanes.
    static func laneSum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
        laneReduce(count) { i in VectorMath.load(x + i) } tail: { x[$0] }
    }

    /// `Σ (x[i] − center)²` over `count` values, in 8 Float lanes.
    static func laneSquaredDistance(_ x: UnsafePointer<Float>, _ count: Int, from center: Float) -> Float {
        laneReduce(count) { i in
            let d = VectorMath.load(x + i) - center
            return d * d
        } tail: { i in (x[i] - center) * (x[i] - center) }
    }

    /// `Σ y[i] · (x[i] − center)` over `count` values, in 8 Float lanes.
    static func laneDot(_ y: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ count: Int, centeredOn center: Float) -> Float {
        laneReduce(count) { i in
            VectorMath.load(y + i) * (VectorMath.load(x + i) - center)
        } tail: { i in y[i] * (x[i] - center) }
    }

    /// `Σ y[i]` and `Σ y[i] · (x[i] − center)` over `count` values in one sweep, in 8 Float lanes
    /// each (the same sums as `laneSum` and `laneDot`).
    static func laneSumAndDot(
        _ y: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ count: Int, centeredOn center: Float
    ) -> (sum: Float, dot: Float) {
        lanePairReduce(count) { i in
            let gradient = VectorMath.load(y + i)
            return (gradient, gradient * (VectorMath.load(x + i) - center))
        } tail: { i in (y[i], y[i] * (x[i] - center)) }
    }

    /// `laneSumAndDot` over the `count` values where `positive[i] > 0` (the others count as 0).
    static func laneMaskedSumAndDot(
        _ y: UnsafePointer<Float>, where positive: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ count: Int,
        centeredOn center: Float
    ) -> (sum: Float, dot: Float) {
        lanePairReduce(count) { i in
            let masked = VectorMath.load(y + i).replacing(with: 0, where: VectorMath.load(positive + i) .<= 0)
            return (masked, masked * (VectorMath.load(x + i) - center))
        } tail: { i in
            let masked: Float = positive[i] > 0 ? y[i] : 0
            return (masked, masked * (x[i] - center))
        }
    }

    /// Two sums like `laneReduce`'s side by side, each in its own 8 lanes.
    @inline(__always)
    static func lanePairReduce(
        _ count: Int, lanes: (Int) -> (SIMD8<Float>, SIMD8<Float>), tail: (Int) -> (Float, Float)
    ) -> (sum: Float, dot: Float) {
        var (first, second) = (SIMD8<Float>(repeating: 0), SIMD8<Float>(repeating: 0))
        let whole = count / 8 * 8
        for i in stride(from: 0, to: whole, by: 8) {
            let (a, b) = lanes(i)
            first += a
            second += b
        }
        var (sum, dot) = (first.sum(), second.sum())
        for i in whole..<count {
            let (a, b) = tail(i)
            sum += a
            dot += b
        }
        return (sum, dot)
    }

    /// The sum of `lanes(i)` for `i = 0, 8, 16, …` below the last whole 8, plus `tail(i)` for the rest.
    @inline(__always)
    static func laneReduce(_ count: Int, lanes: (Int) -> SIMD8<Float>, tail: (Int) -> Float) -> Float {
        var accumulator = SIMD8<Float>(repeating: 0)
        let whole = count / 8 * 8
        for i in stride(from: 0, to: whole, by: 8) { accumulator += lanes(i) }
        var total = accumulator.sum()
        for i in whole..<count { total += tail(i) }
        return total
    }
}

/// The channel blocks of one CPU batch-norm op: as many channels per block as keep its values
/// (`N·S` per channel) within `limit`, so that a block's second sweep reads from cache while its
/// first sweep reads contiguous stretches of memory (a block's channels of one image).
struct BatchNormBlocks {
    /// The most values of one block (256 KiB of Float), unless one channel has more.
    static let limit = 1 << 16

    let channelsPerBlock: Int
    let channelCount: Int
    /// Blocks one parallel chunk should at least hold (about 65,536 values).
    let grain: Int

    init(_ plan: BatchNormPlan) {
        channelsPerBlock = max(1, Self.limit / max(plan.perChannel, 1))
        channelCount = plan.channels
        grain = max(1, 65_536 / max(channelsPerBlock * plan.perChannel, 1))
    }

    var count: Int { (channelCount + channelsPerBlock - 1) / channelsPerBlock }

    func channels(of block: Int) -> Range<Int> {
        (block * channelsPerBlock)..<min(channelCount, (block + 1) * channelsPerBlock)
    }
}
