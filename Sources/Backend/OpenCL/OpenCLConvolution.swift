/// Convolution on OpenCL as im2col + GEMM (`Kernels/conv.cl`, layout in `ConvPlan`); the GEMMs
/// go through `gemm`, so CLBlast or the own kernel as the device chooses. The scratch matrices
/// come from the device pool, so a warm call allocates nothing new. The in-order queue keeps a
/// scratch buffer that goes back to the pool from being reused before the kernels that read it ran.
extension OpenCLDevice: ConvolutionOps {
    private static let family = "conv"

    /// The `activation` argument of `conv_output` in `Kernels/conv.cl`.
    private static func activationCode(_ activation: UnaryOp?) -> Int32 {
        switch activation {
        case .relu: 1
        case .leakyRelu: 2
        case .sigmoid: 3
        case .tanh: 4
        default: 0
        }
    }

    public func conv2d(
        _ input: Tensor, weight: Tensor, bias: Tensor?, activation: UnaryOp?, _ descriptor: Conv2DDescriptor,
        into output: Tensor
    ) throws {
        let plan = try checkConv2d(input, weight: weight, bias: bias, activation: activation, descriptor, output: output)
        if packsPanels(plan) {
            try packedConv2d(plan, input, weight: weight, bias: bias, activation: activation, into: output)
            return
        }
        let scratch = try scratch(for: plan, op: "conv2d")
        for chunk in scratch.chunks {
            try im2col(plan, input, chunk, into: scratch.columns)
            try gemm(plan.forwardGemm(images: chunk.count), a: weight, b: scratch.columns, c: scratch.product)
            let grid = [plan.outputPlane, plan.filters, chunk.count]
            try launch(Self.family, "conv_output", global: grid, local: valueGroup(grid), [
                .tensor(scratch.product), .tensor(bias ?? scratch.product), .int(bias == nil ? 0 : 1), .tensor(output),
                .size(chunk.lowerBound), .size(chunk.count), .size(plan.filters), .size(plan.outputPlane),
                .int(Self.activationCode(activation)), .float(activation?.parameter ?? 0),
            ])
        }
    }

    public func conv2dBackwardInput(gradOutput: Tensor, weight: Tensor, _ descriptor: Conv2DDescriptor, into gradInput: Tensor) throws {
        let plan = try checkConv2dBackwardInput(gradOutput: gradOutput, weight: weight, descriptor, gradInput: gradInput)
        if packsPanels(plan) {
            try packedConv2dBackwardInput(plan, gradOutput: gradOutput, weight: weight, into: gradInput)
            return
        }
        let scratch = try scratch(for: plan, op: "conv2dBackwardInput")
        for chunk in scratch.chunks {
            try gatherGradOutput(plan, gradOutput, chunk, into: scratch.product)
            try gemm(plan.inputGradientGemm(images: chunk.count), a: weight, b: scratch.product, c: scratch.columns)
            try launch(Self.family, "col2im", global: [plan.height, plan.channels, chunk.count], local: itemGroup, [
                .tensor(scratch.columns), .tensor(gradInput), .size(chunk.lowerBound), .size(chunk.count),
            ] + Self.geometry(plan))
        }
    }

    public func conv2dBackwardWeight(
        gradOutput: Tensor, input: Tensor, _ descriptor: Conv2DDescriptor, into gradWeight: Tensor, accumulate: Bool
    ) throws {
        let plan = try checkConv2dBackwardWeight(gradOutput: gradOutput, input: input, descriptor, gradWeight: gradWeight)
        if plan.batch == 0, !accumulate { try fill(gradWeight, value: 0) }
        if packsPanels(plan) {
            try packedConv2dBackwardWeight(plan, gradOutput: gradOutput, input: input, into: gradWeight, accumulate: accumulate)
            return
        }
        let scratch = try scratch(for: plan, op: "conv2dBackwardWeight")
        for (index, chunk) in scratch.chunks.enumerated() {
            try im2col(plan, input, chunk, into: scratch.columns)
            try gatherGradOutput(plan, gradOutput, chunk, into: scratch.product)
            let descriptor = plan.weightGradientGemm(images: chunk.count, accumulate: accumulate || index > 0)
            let slices = Self.weightGradientSlices(descriptor, computeUnits: info.computeUnits)
            if try splitDepthWeightGradient(descriptor, slices: slices, a: scratch.product, b: scratch.columns, c: gradWeight) {
                continue
            }
            try gemm(descriptor, a: scratch.product, b: scratch.columns, c: gradWeight)
        }
    }

    public func conv2dBackwardBias(gradOutput: Tensor, into gradBias: Tensor, accumulate: Bool) throws {
        let (batch, filters, plane) = try checkConv2dBackwardBias(gradOutput: gradOutput, gradBias: gradBias)
        try checkKernelIndexRange(gradOutput.count, op: "conv2dBackwardBias")
        // CPU devices (PoCL) run a group's items one after another: one item per filter.
        if prefersContiguousWork {
            try launch(Self.family, "conv_bias_grad_rows", global: [filters], local: [1], [
                .tensor(gradOutput), .tensor(gradBias), .int(accumulate ? 1 : 0), .size(batch), .size(filters), .size(plane),
            ])
            return
        }
        var group = 1
        while group * 2 <= min(256, info.maxWorkGroupSize) { group *= 2 }
        try launch(Self.family, "conv_bias_grad", global: [filters * group], local: [group], [
            .tensor(gradOutput), .tensor(gradBias), .int(accumulate ? 1 : 0), .size(batch), .size(filters), .size(plane),
            .local(bytes: group * MemoryLayout<Float>.size),
        ])
    }

    // MARK: the packed path

    /// Whether this call takes the packed path (`Kernels/conv.cl`, below its first part): when
    /// its GEMMs would run on SwiftTune's own kernel, whose panels the convolution then writes
    /// itself. Otherwise (CLBlast) the columns matrix goes through `gemm`.
    private func packsPanels(_ plan: ConvPlan) -> Bool {
        lock.withLock { gemmRouter.path(for: plan.forwardGemm(images: 1)) } == .kernel
    }

    /// Panels of `gemmTileRows` (`M`) or `gemmTileColumns` (`N`) that cover `count` rows or columns.
    private static func panels(_ count: Int, of size: Int) -> Int { (count + size - 1) / size }

    /// The weight packed once as the GEMMs' A, then per chunk: the columns written as packed
    /// panels (`im2col_panels`) and `conv_tiles`, which stores into the output with bias and activation.
    private func packedConv2d(
        _ plan: ConvPlan, _ input: Tensor, weight: Tensor, bias: Tensor?, activation: UnaryOp?, into output: Tensor
    ) throws {
        let (chunks, images) = try packedChunks(plan, op: "conv2d")
        let packedWeight = try packGemmA(GemmDescriptor(m: plan.filters, n: 1, k: plan.patchSize), a: weight)
        let columnPanels = try Tensor(
            uninitializedShape: [Self.panels(images * plan.outputPlane, of: Self.gemmTileColumns) * Self.gemmTileColumns * plan.patchSize],
            on: self)
        for chunk in chunks {
            let pixelPanels = Self.panels(chunk.count * plan.outputPlane, of: Self.gemmTileColumns)
            try launch(Self.family, "im2col_panels", global: [pixelPanels], local: [4], [
                .tensor(input), .tensor(columnPanels), .size(chunk.lowerBound), .size(chunk.count),
            ] + Self.geometry(plan))
            try launch(Self.family, "conv_tiles", global: [Self.panels(plan.filters, of: Self.gemmTileRows), pixelPanels], local: tileGroup, [
                .tensor(packedWeight), .tensor(columnPanels), .tensor(output), .tensor(bias ?? output), .int(bias == nil ? 0 : 1),
                .int(Self.activationCode(activation)), .float(activation?.parameter ?? 0), .size(chunk.lowerBound), .size(chunk.count),
            ] + Self.geometry(plan))
        }
    }

    /// The weight packed once, transposed, as A; per chunk the output gradient packed as B
    /// straight from NCHW (`grad_output_columns_panels`), the GEMM into the columns matrix, and col2im.
    private func packedConv2dBackwardInput(_ plan: ConvPlan, gradOutput: Tensor, weight: Tensor, into gradInput: Tensor) throws {
        let (chunks, images) = try packedChunks(plan, op: "conv2dBackwardInput")
        let packedWeight = try packGemmA(
            GemmDescriptor(m: plan.patchSize, n: 1, k: plan.filters, transposeA: true), a: weight)
        let gradientPanels = try Tensor(
            uninitializedShape: [Self.panels(images * plan.outputPlane, of: Self.gemmTileColumns) * Self.gemmTileColumns * plan.filters],
            on: self)
        let columns = try Tensor(uninitializedShape: [plan.patchSize, images * plan.outputPlane], on: self)
        for chunk in chunks {
            let pixels = chunk.count * plan.outputPlane
            try launch(Self.family, "grad_output_columns_panels", global: [Self.panels(pixels, of: Self.gemmTileColumns)], local: [16], [
                .tensor(gradOutput), .tensor(gradientPanels), .size(chunk.lowerBound), .size(chunk.count),
            ] + Self.geometry(plan))
            try gemmTiles(
                plan.inputGradientGemm(images: chunk.count), packedA: packedWeight, packedB: gradientPanels, c: columns)
            try launch(Self.family, "col2im", global: [plan.height, plan.channels, chunk.count], local: itemGroup, [
                .tensor(columns), .tensor(gradInput), .size(chunk.lowerBound), .size(chunk.count),
            ] + Self.geometry(plan))
        }
    }

    /// Per chunk: the output gradient packed as A straight from NCHW (`grad_output_panels`),
    /// the columns matrix transposed written as packed B (`im2col_panels_transposed`), and the
    /// GEMM into the weight gradient (adding to it after the first chunk, or with `accumulate`).
    private func packedConv2dBackwardWeight(
        _ plan: ConvPlan, gradOutput: Tensor, input: Tensor, into gradWeight: Tensor, accumulate: Bool
    ) throws {
        let (chunks, images) = try packedChunks(plan, op: "conv2dBackwardWeight")
        let pixels = images * plan.outputPlane
        let filterPanels = Self.panels(plan.filters, of: Self.gemmTileRows)
        let tapPanels = Self.panels(plan.patchSize, of: Self.gemmTileColumns)
        let gradientPanels = try Tensor(uninitializedShape: [filterPanels * Self.gemmTileRows * pixels], on: self)
        let columnPanels = try Tensor(uninitializedShape: [tapPanels * Self.gemmTileColumns * pixels], on: self)
        for (index, chunk) in chunks.enumerated() {
            let runs = Self.panels(chunk.count * plan.outputPlane, of: Self.pixelRun)
            let arguments: [KernelArgument] = [.size(chunk.lowerBound), .size(chunk.count)] + Self.geometry(plan)
            try launch(Self.family, "grad_output_panels", global: [filterPanels, runs], local: [1, 16],
                       [.tensor(gradOutput), .tensor(gradientPanels)] + arguments)
            try launch(Self.family, "im2col_panels_transposed", global: [tapPanels, runs], local: [1, 16],
                       [.tensor(input), .tensor(columnPanels)] + arguments)
            try gemmTiles(
                plan.weightGradientGemm(images: chunk.count, accumulate: accumulate || index > 0),
                packedA: gradientPanels, packedB: columnPanels, c: gradWeight)
        }
    }

    /// Pixels per work-item of `grad_output_panels` and `im2col_panels_transposed` (`PIXEL_RUN`).
    private static let pixelRun = 64

    /// The chunks of a packed call and the images of the largest, after checking that every
    /// tensor and scratch panel of the call fits the kernels' 32-bit indices.
    private func packedChunks(_ plan: ConvPlan, op: String) throws -> (chunks: [Range<Int>], images: Int) {
        let images = plan.imagesPerChunk(maxColumnElements: convolutionColumnLimit)
        let pixels = images * plan.outputPlane + Self.gemmTileColumns
        for count in [
            (plan.patchSize + Self.gemmTileColumns) * pixels, (plan.filters + Self.gemmTileRows) * pixels,
            plan.batch * plan.channels * plan.inputPlane, plan.batch * plan.filters * plan.outputPlane,
        ] {
            try checkKernelIndexRange(count, op: op)
        }
        return (plan.chunks(imagesPerChunk: images), images)
    }

    /// The work-group of a kernel whose items each walk a row or a plane (im2col, col2im):
    /// 16 items in the second dimension.
    private var itemGroup: [Int] { [1, min(16, info.maxWorkGroupSize), 1] }

    /// The most values of one chunk's columns matrix: 8 MiB on CPU devices (it should stay in
    /// cache), 64 MiB on GPUs (fewer, larger GEMMs), within the device's largest allocation.
    private var convolutionColumnLimit: Int {
        min(info.isGPU ? 1 << 24 : 1 << 21, info.maxAllocationBytes / MemoryLayout<Float>.size)
    }

    /// The pooled scratch matrices of a call, sized for a full chunk, after checking that every
    /// tensor of the call fits the kernels' 32-bit indices.
    private func scratch(for plan: ConvPlan, op: String) throws -> (columns: Tensor, product: Tensor, chunks: [Range<Int>]) {
        let images = plan.imagesPerChunk(maxColumnElements: convolutionColumnLimit)
        let columnCount = plan.patchSize * images * plan.outputPlane
        for count in [columnCount, plan.batch * plan.channels * plan.inputPlane, plan.batch * plan.filters * plan.outputPlane] {
            try checkKernelIndexRange(count, op: op)
        }
        return (
            try Tensor(uninitializedShape: [plan.patchSize, images * plan.outputPlane], on: self),
            try Tensor(uninitializedShape: [plan.filters, images * plan.outputPlane], on: self),
            plan.chunks(imagesPerChunk: images))
    }

    private func im2col(_ plan: ConvPlan, _ input: Tensor, _ chunk: Range<Int>, into columns: Tensor) throws {
        try launch(Self.family, "im2col", global: [chunk.count, plan.patchSize], local: [1, itemGroup[1]], [
            .tensor(input), .tensor(columns), .size(chunk.lowerBound), .size(chunk.count),
        ] + Self.geometry(plan))
    }

    private func gatherGradOutput(_ plan: ConvPlan, _ gradOutput: Tensor, _ chunk: Range<Int>, into product: Tensor) throws {
        let grid = [plan.outputPlane, plan.filters, chunk.count]
        try launch(Self.family, "conv_grad_output", global: grid, local: valueGroup(grid), [
            .tensor(gradOutput), .tensor(product), .size(chunk.lowerBound), .size(chunk.count), .size(plan.filters),
            .size(plan.outputPlane),
        ])
    }

    /// The `int8` geometry `(C, H, W, R, S, P, Q, K)` and taps `(stride, padding, dilation)` of conv.cl.
    private static func geometry(_ plan: ConvPlan) -> [KernelArgument] {
        let d = plan.descriptor
        return [
            .int8([plan.channels, plan.height, plan.width, plan.kernelHeight, plan.kernelWidth,
                   plan.outputHeight, plan.outputWidth, plan.filters].map { Int32(clamping: $0) }),
            .int8([d.strideHeight, d.strideWidth, d.paddingHeight, d.paddingWidth, d.dilationHeight, d.dilationWidth]
                .map { Int32(clamping: $0) }),
        ]
    }
}
