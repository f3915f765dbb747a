extension CPUDevice {
    /// Depth (k) of one segment of a split GEMM.
    static let segmentDepth = 1024
    /// The most segments one GEMM is split into.
    static let maximumSegments = 64
    /// The most values of C for which a deep GEMM is split by depth.
    static let splitMaximumOutput = 1 << 16
    /// The most values of the segments' products together (8 MiB).
    static let maximumPartials = 1 << 21

    /// How many depth segments `x` runs as: more than one when C is small and the depth long
    /// (a weight gradient: the filters × taps of a convolution summed over every pixel of the
    /// batch). Cutting C alone leaves such a product few, thin chunks per depth block and a wait
    /// for all threads at each of its many depth blocks. The count depends on the sizes only,
    /// never on the thread count, so the sums come out the same on every machine.
    static func depthSegments(_ d: GemmDescriptor) -> Int {
        guard d.m * d.n <= splitMaximumOutput, d.k >= 4 * segmentDepth else { return 1 }
        return min(maximumSegments, (d.k + segmentDepth - 1) / segmentDepth, maximumPartials / max(1, d.m * d.n))
    }

    /// `C = alpha * Σ_s op(A)_s · op(B)_s + beta * C` over `segments` depth ranges: each range's
    /// product goes to a scratch matrix of its own, on one core, ranges spread over cores; then
    /// the products are summed in range order into C, rows spread over cores.
    func splitDepthGemm(_ x: GemmMatrixOperands, segments: Int) throws {
        let (m, n) = (x.m, x.n)
        let size = m * n
        let per = (x.k + segments - 1) / segments
        try GemmScratch.partials.withBuffer(count: segments * size) { partials in
            let failure = FirstError()
            parallelFor(segments, grain: 1, chunksPerThread: 4) { range in
                do {
                    for segment in range {
                        let depth = (segment * per)..<min(x.k, (segment + 1) * per)
                        let part = partials + segment * size
                        if depth.isEmpty {
                            part.update(repeating: 0, count: size)
                        } else {
                            try blockedGemm(x.depthSlice(depth, into: part, ldc: n), parallel: false)
                        }
                    }
                } catch {
                    failure.record(error)
                }
            }
            try failure.rethrow()
            parallelFor(m, grain: max(1, 16_384 / max(1, n * segments))) { rows in
                for i in rows {
                    let row = x.c + i * x.ldc
                    for j in 0..<n {
                        var sum = partials[i * n + j]
                        for segment in 1..<segments { sum += partials[segment * size + i * n + j] }
                        row[j] = x.beta == 0 ? x.alpha * sum : x.alpha * sum + x.beta * row[j]
                    }
                }
            }
        }
    }
}
