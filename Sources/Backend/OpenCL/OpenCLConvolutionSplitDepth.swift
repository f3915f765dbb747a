import COpenCL

/// The weight gradient of a convolution through CLBlast, split along the GEMM's depth.
///
/// That GEMM has few outputs (`filters × C·R·S`) and a deep sum over every pixel of the batch
/// (`images · P · Q`, tens of thousands). As one GEMM it fills a handful of CLBlast's tiles and
/// leaves most of a GPU idle: 3.0 ms on an NVIDIA H100 for a layer of 64 filters over 32
/// channels at 28×28, batch 64, where PyTorch takes 0.1 ms. Split into slices of consecutive
/// pixels, one strided-batched CLBlast call computes every slice's partial product at once,
/// and `conv_weight_grad_slices` adds them up.
extension OpenCLDevice {
    /// Rows and columns of the output tile that one CLBlast work-group computes, about.
    private static let clblastTile = 64
    /// The fewest pixels a slice sums: below that, a slice's work does not pay for its partial sum.
    private static let minimumSliceDepth = 512

    /// How many depth slices the weight-gradient GEMM `descriptor` takes on a device of
    /// `computeUnits`: enough for about two output tiles per compute unit, each slice at least
    /// `minimumSliceDepth` deep; 1 (no split) when the GEMM's own tiles keep the device busy.
    static func weightGradientSlices(_ descriptor: GemmDescriptor, computeUnits: Int) -> Int {
        let tiles = ((descriptor.m + clblastTile - 1) / clblastTile) * ((descriptor.n + clblastTile - 1) / clblastTile)
        let wanted = (2 * max(1, computeUnits) + tiles - 1) / tiles
        return max(1, min(wanted, descriptor.k / minimumSliceDepth))
    }

    /// Runs the weight-gradient GEMM `descriptor` (`C = A · Bᵀ`, A `m × k`, B `n × k`, C `m × n`,
    /// row-major; `beta` 0 or 1) in `slices` depth slices, adding the last `k mod slices` pixels
    /// to the first slice. Returns false, having enqueued nothing that changes `c`, when CLBlast
    /// cannot take the split (a failing routine is remembered, as `gemm` does); the caller then
    /// runs the GEMM whole.
    func splitDepthWeightGradient(
        _ descriptor: GemmDescriptor, slices: Int, a: Tensor, b: Tensor, c: Tensor
    ) throws -> Bool {
        let (m, n, k) = (descriptor.m, descriptor.n, descriptor.k)
        let depth = k / slices
        let batched = GemmDescriptor(m: m, n: n, k: depth, transposeB: true, batch: slices)
        guard slices > 1, lock.withLock({ gemmRouter.path(for: batched) }) == .clblast else { return false }
        let partial = try Tensor(uninitializedShape: [slices, m * n], on: self)
        let buffers = (
            a: try clBuffer(a.buffer, op: "conv2dBackwardWeight"), b: try clBuffer(b.buffer, op: "conv2dBackwardWeight"),
            partial: try clBuffer(partial.buffer, op: "conv2dBackwardWeight"))
        let (routine, status) = lock.withLock { () -> (CLBlastRoutine, CLBlastStatusCode) in
            var queue: cl_command_queue? = queue
            let sliced = CLBlastSgemmStridedBatched(
                CLBlastLayoutRowMajor, CLBlastTransposeNo, CLBlastTransposeYes, m, n, depth, 1,
                buffers.a.mem, 0, k, depth, buffers.b.mem, 0, k, depth, 0,
                buffers.partial.mem, 0, n, m * n, slices, &queue, nil)
            let rest = k - depth * slices
            guard sliced == CLBlastSuccess, rest > 0 else { return (.stridedBatchedGemm, sliced) }
            return (.gemm, CLBlastSgemm(
                CLBlastLayoutRowMajor, CLBlastTransposeNo, CLBlastTransposeYes, m, n, rest, 1,
                buffers.a.mem, depth * slices, k, buffers.b.mem, depth * slices, k, 1,
                buffers.partial.mem, 0, n, &queue, nil))
        }
        guard status == CLBlastSuccess else {
            noteCLBlastFailure(routine, status: status.rawValue)
            return false
        }
        counting.launch()
        try launch1D("conv", "conv_weight_grad_slices", count: m * n, [
            .tensor(partial), .tensor(c), .int(descriptor.beta == 0 ? 0 : 1), .size(slices), .size(m * n),
        ])
        return true
    }
}
