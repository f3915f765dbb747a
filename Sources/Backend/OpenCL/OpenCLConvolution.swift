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
        let scratch = try scratch(for: plan, op: "conv2d")
        for chunk in scratch.chunks {
            try im2col(plan, input, chunk, into: scratch.columns)
            try gemm(plan.forwardGemm(images: chunk.count), a: weight, b: scratch.columns, c: scratch.product)
            try launch(Self.family, "conv_output", global: [plan.outputPlane, chunk.count * plan.filters], local: rowGroup(width: plan.outputPlane), [
                .tensor(scratch.product), .tensor(bias ?? scratch.product), .int(bias == nil ? 0 : 1), .tensor(output),
                .size(chunk.lowerBound), .size(chunk.count), .size(plan.filters), .size(plan.outputPlane),
                .int(Self.activationCode(activation)), .float(activation?.parameter ?? 0),
            ])
        }
    }

    public func conv2dBackwardInput(gradOutput: Tensor, weight: Tensor, _ descriptor: Conv2DDescriptor, into gradInput: Tensor) throws {
        let plan = try checkConv2dBackwardInput(gradOutput: gradOutput, weight: weight, descriptor, gradInput: gradInput)
        let scratch = try scratch(for: plan, op: "conv2dBackwardInput")
        for chunk in scratch.chunks {
            try gatherGradOutput(plan, gradOutput, chunk, into: scratch.product)
            try gemm(plan.inputGradientGemm(images: chunk.count), a: weight, b: scratch.product, c: scratch.columns)
            try launch(Self.family, "col2im", global: [plan.inputPlane, chunk.count * plan.channels], local: rowGroup(width: plan.inputPlane), [
                .tensor(scratch.columns), .tensor(gradInput), .size(chunk.lowerBound), .size(chunk.count),
            ] + Self.geometry(plan))
        }
    }

    public func conv2dBackwardWeight(
        gradOutput: Tensor, input: Tensor, _ descriptor: Conv2DDescriptor, into gradWeight: Tensor, accumulate: Bool
    ) throws {
        let plan = try checkConv2dBackwardWeight(gradOutput: gradOutput, input: input, descriptor, gradWeight: gradWeight)
        if plan.batch == 0, !accumulate { try fill(gradWeight, value: 0) }
        let scratch = try scratch(for: plan, op: "conv2dBackwardWeight")
        for (index, chunk) in scratch.chunks.enumerated() {
            try im2col(plan, input, chunk, into: scratch.columns)
            try gatherGradOutput(plan, gradOutput, chunk, into: scratch.product)
            try gemm(
                plan.weightGradientGemm(images: chunk.count, accumulate: accumulate || index > 0),
                a: scratch.product, b: scratch.columns, c: gradWeight)
        }
    }

    public func conv2dBackwardBias(gradOutput: Tensor, into gradBias: Tensor, accumulate: Bool) throws {
        let (batch, filters, plane) = try checkConv2dBackwardBias(gradOutput: gradOutput, gradBias: gradBias)
        try checkKernelIndexRange(gradOutput.count, op: "conv2dBackwardBias")
        var group = 1
        while group * 2 <= min(256, info.maxWorkGroupSize) { group *= 2 }
        try launch(Self.family, "conv_bias_grad", global: [filters * group], local: [group], [
            .tensor(gradOutput), .tensor(gradBias), .int(accumulate ? 1 : 0), .size(batch), .size(filters), .size(plane),
            .local(bytes: group * MemoryLayout<Float>.size),
        ])
    }

    /// The work-group of a two-dimensional kernel whose first (contiguous) dimension is `width`
    /// long. GPUs take a row of 64. CPU devices (PoCL) pay a fixed cost per work-group, so they
    /// take up to 1024 items: the whole row when it is shorter, and several rows.
    private func rowGroup(width: Int) -> [Int] {
        guard !info.isGPU else { return [64, 1] }
        let columns = min(width, 1024)
        return [columns, max(1, min(1024, info.maxWorkGroupSize) / columns)]
    }

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
        try launch(Self.family, "im2col", global: [chunk.count * plan.outputPlane, plan.patchSize], local: rowGroup(width: chunk.count * plan.outputPlane), [
            .tensor(input), .tensor(columns), .size(chunk.lowerBound), .size(chunk.count),
        ] + Self.geometry(plan))
    }

    private func gatherGradOutput(_ plan: ConvPlan, _ gradOutput: Tensor, _ chunk: Range<Int>, into product: Tensor) throws {
        try launch(Self.family, "conv_grad_output", global: [plan.outputPlane, chunk.count * plan.filters], local: rowGroup(width: plan.outputPlane), [
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
