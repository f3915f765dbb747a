/// Convolution on the CPU as im2col + GEMM (see `ConvPlan` for the layout); 3×3 stride-1
/// convolutions and their input and weight gradients run as Winograd F(2×2, 3×3) instead
/// (CPUWinograd.swift, CPUWinogradWeightGradient.swift). Images go in chunks
/// whose columns matrix stays within `convolutionColumnLimit` values; the scratch matrices come
/// from the device pool, so a warm call allocates nothing. Every loop but the GEMM's runs over
/// disjoint rows or planes on all cores, so no two threads write the same value.
extension CPUDevice: ConvolutionOps {
    /// The most values of one chunk's columns matrix (8 MiB of Float).
    static let convolutionColumnLimit = 1 << 21

    public func conv2d(
        _ input: Tensor, weight: Tensor, bias: Tensor?, activation: UnaryOp?, _ descriptor: Conv2DDescriptor,
        into output: Tensor
    ) throws {
        let op = "conv2d"
        let plan = try checkConv2d(input, weight: weight, bias: bias, activation: activation, descriptor, output: output)
        let x = try pointer(input, op: op)
        let y = try pointer(output, op: op)
        let b = try bias.map { try pointer($0, op: op) }
        if Self.usesWinograd(plan) {
            try winogradConv2d(plan, input: x, weight: pointer(weight, op: op), bias: b, activation: activation, output: y)
            return
        }
        let scratch = try ConvScratch(plan, on: self)
        for chunk in scratch.chunks {
            im2col(plan, x, images: chunk, into: scratch.columnValues)
            try gemm(plan.forwardGemm(images: chunk.count), a: weight, b: scratch.columns, c: scratch.product)
            copyProduct(plan, scratch.productValues, images: chunk, toOutput: y, bias: b, activation: activation)
        }
    }

    public func conv2dBackwardInput(gradOutput: Tensor, weight: Tensor, _ descriptor: Conv2DDescriptor, into gradInput: Tensor) throws {
        let op = "conv2dBackwardInput"
        let plan = try checkConv2dBackwardInput(gradOutput: gradOutput, weight: weight, descriptor, gradInput: gradInput)
        let dy = try pointer(gradOutput, op: op)
        let dx = try pointer(gradInput, op: op)
        if Self.usesWinograd(plan) {
            try winogradConv2dBackwardInput(plan, gradOutput: dy, weight: pointer(weight, op: op), gradInput: dx)
            return
        }
        let scratch = try ConvScratch(plan, on: self)
        for chunk in scratch.chunks {
            copyGradOutput(plan, dy, images: chunk, toProduct: scratch.productValues)
            try gemm(plan.inputGradientGemm(images: chunk.count), a: weight, b: scratch.product, c: scratch.columns)
            col2im(plan, scratch.columnValues, images: chunk, into: dx)
        }
    }

    public func conv2dBackwardWeight(
        gradOutput: Tensor, input: Tensor, _ descriptor: Conv2DDescriptor, into gradWeight: Tensor, accumulate: Bool
    ) throws {
        let op = "conv2dBackwardWeight"
        let plan = try checkConv2dBackwardWeight(gradOutput: gradOutput, input: input, descriptor, gradWeight: gradWeight)
        let dy = try pointer(gradOutput, op: op)
        let x = try pointer(input, op: op)
        if plan.batch == 0, !accumulate { try fill(gradWeight, value: 0) }
        if Self.usesWinogradWeightGradient(plan) {
            try winogradConv2dBackwardWeight(
                plan, gradOutput: dy, input: x, gradWeight: pointer(gradWeight, op: op), accumulate: accumulate)
            return
        }
        let scratch = try ConvScratch(plan, on: self)
        for (index, chunk) in scratch.chunks.enumerated() {
            im2col(plan, x, images: chunk, into: scratch.columnValues)
            copyGradOutput(plan, dy, images: chunk, toProduct: scratch.productValues)
            try gemm(
                plan.weightGradientGemm(images: chunk.count, accumulate: accumulate || index > 0),
                a: scratch.product, b: scratch.columns, c: gradWeight)
        }
    }

    public func conv2dBackwardBias(gradOutput: Tensor, into gradBias: Tensor, accumulate: Bool) throws {
        let op = "conv2dBackwardBias"
        let (batch, filters, plane) = try checkConv2dBackwardBias(gradOutput: gradOutput, gradBias: gradBias)
        let dy = try pointer(gradOutput, op: op)
        let db = try pointer(gradBias, op: op)
        parallelFor(filters, grain: max(1, 16_384 / max(1, batch * plane))) { range in
            for k in range {
                var total: Double = accumulate ? Double(db[k]) : 0
                for n in 0..<batch {
                    total += ReductionPartial(.sum, dy + (n * filters + k) * plane, count: plane, offset: 0).sum
                }
                db[k] = Float(total)
            }
        }
    }

    /// Fills the columns matrix of the images `images` (row length `images.count · P·Q`), rows
    /// spread over cores.
    private func im2col(_ plan: ConvPlan, _ x: UnsafeMutablePointer<Float>, images: Range<Int>, into columns: UnsafeMutablePointer<Float>) {
        let d = plan.descriptor
        let (taps, width, outputWidth) = (plan.kernelHeight * plan.kernelWidth, plan.width, plan.outputWidth)
        let rowLength = images.count * plan.outputPlane
        parallelFor(plan.patchSize, grain: max(1, 16_384 / rowLength), chunksPerThread: 4) { rows in
            for row in rows {
                let (c, r, s) = (row / taps, row % taps / plan.kernelWidth, row % plan.kernelWidth)
                let validRows = plan.validRows(tap: r)
                let validColumns = plan.validColumns(tap: s)
                let columnOffset = s * d.dilationWidth - d.paddingWidth
                var destination = columns + row * rowLength
                for n in images {
                    let plane = x + (n * plan.channels + c) * plan.inputPlane
                    for p in 0..<plan.outputHeight {
                        guard validRows.contains(p), !validColumns.isEmpty else {
                            destination.update(repeating: 0, count: outputWidth)
                            destination += outputWidth
                            continue
                        }
                        let source = plane + (p * d.strideHeight - d.paddingHeight + r * d.dilationHeight) * width + columnOffset
                        if d.strideWidth == 1 {
                            Self.copyRun(source, valid: validColumns, width: outputWidth, into: destination)
                        } else if d.strideWidth == 2 {
                            Self.copyEvenRun(
                                source, valid: validColumns, width: outputWidth, readable: width - columnOffset, into: destination)
                        } else {
                            destination.update(repeating: 0, count: validColumns.lowerBound)
                            for q in validColumns { destination[q] = source[q * d.strideWidth] }
                            (destination + validColumns.upperBound).update(repeating: 0, count: outputWidth - validColumns.upperBound)
                        }
                        destination += outputWidth
                    }
                }
            }
        }
    }

    /// `destination[q] = source[q]` for `q` in `valid`, 0 for the rest of `0..<width`: one row of
    /// a stride-1 columns matrix. Rows are short (often 32 or 16 values), so the copy runs in
    /// 8-float vectors inline rather than as a call to memmove.
    @inline(__always)
    private static func copyRun(
        _ source: UnsafePointer<Float>, valid: Range<Int>, width: Int, into destination: UnsafeMutablePointer<Float>
    ) {
        var q = 0
        while q < valid.lowerBound {
            destination[q] = 0
            q += 1
        }
        while q + 8 <= valid.upperBound {
            VectorMath.store(VectorMath.load(source + q), destination + q)
            q += 8
        }
        while q < valid.upperBound {
            destination[q] = source[q]
            q += 1
        }
        while q < width {
            destination[q] = 0
            q += 1
        }
    }

    /// `destination[q] = source[2q]` for `q` in `valid`, 0 for the rest of `0..<width`: one row of
    /// a columns matrix of stride 2. Four values at a time are the even lanes of one 8-float load,
    /// while that load stays within the `readable` values from `source` (the rest of its input
    /// row); the last ones are copied one by one.
    @inline(__always)
    private static func copyEvenRun(
        _ source: UnsafePointer<Float>, valid: Range<Int>, width: Int, readable: Int, into destination: UnsafeMutablePointer<Float>
    ) {
        destination.update(repeating: 0, count: valid.lowerBound)
        var q = valid.lowerBound
        while q + 4 <= valid.upperBound, 2 * q + 8 <= readable {
            UnsafeMutableRawPointer(destination + q).storeBytes(of: VectorMath.load(source + 2 * q).evenHalf, as: SIMD4<Float>.self)
            q += 4
        }
        while q < valid.upperBound {
            destination[q] = source[2 * q]
            q += 1
        }
        (destination + valid.upperBound).update(repeating: 0, count: width - valid.upperBound)
    }

    /// Sums the gradient columns of the images `images` back into their input planes (each
    /// plane is zeroed, then gets every tap that read it); planes spread over cores.
    private func col2im(_ plan: ConvPlan, _ columns: UnsafeMutablePointer<Float>, images: Range<Int>, into dx: UnsafeMutablePointer<Float>) {
        let d = plan.descriptor
        let rowLength = images.count * plan.outputPlane
        let planes = images.count * plan.channels
        let work = plan.kernelHeight * plan.kernelWidth * plan.outputPlane
        parallelFor(planes, grain: max(1, 4096 / work), chunksPerThread: 4) { range in
            for planeIndex in range {
                let (b, c) = (planeIndex / plan.channels, planeIndex % plan.channels)
                let plane = dx + ((images.lowerBound + b) * plan.channels + c) * plan.inputPlane
                plane.update(repeating: 0, count: plan.inputPlane)
                for r in 0..<plan.kernelHeight {
                    let validRows = plan.validRows(tap: r)
                    for s in 0..<plan.kernelWidth {
                        let validColumns = plan.validColumns(tap: s)
                        let row = (c * plan.kernelHeight + r) * plan.kernelWidth + s
                        let source = columns + row * rowLength + b * plan.outputPlane
                        let columnOffset = s * d.dilationWidth - d.paddingWidth
                        for p in validRows {
                            let h = p * d.strideHeight - d.paddingHeight + r * d.dilationHeight
                            let target = plane + h * plan.width + columnOffset
                            let gradients = source + p * plan.outputWidth
                            if d.strideWidth == 1 {
                                for q in validColumns { target[q] += gradients[q] }
                            } else {
                                for q in validColumns { target[q * d.strideWidth] += gradients[q] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `output[n, k, :] = activation(product[k, (n − first)·P·Q ..< …] + bias[k])` for the images
    /// of the chunk.
    private func copyProduct(
        _ plan: ConvPlan, _ product: UnsafeMutablePointer<Float>, images: Range<Int>,
        toOutput y: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>?, activation: UnaryOp?
    ) {
        let (filters, plane) = (plan.filters, plan.outputPlane)
        let rowLength = images.count * plane
        parallelFor(images.count * filters, grain: max(1, 16_384 / plane), chunksPerThread: 4) { range in
            for pair in range {
                let (b, k) = (pair / filters, pair % filters)
                let source = product + k * rowLength + b * plane
                let target = y + ((images.lowerBound + b) * filters + k) * plane
                if let bias {
                    let shift = bias[k]
                    for i in 0..<plane { target[i] = source[i] + shift }
                } else {
                    target.update(from: source, count: plane)
                }
                if let activation { Self.applyUnary(activation, target, target, plane) }
            }
        }
    }

    /// `product[k, (n − first)·P·Q ..< …] = gradOutput[n, k, :]` for the images of the chunk.
    private func copyGradOutput(
        _ plan: ConvPlan, _ dy: UnsafeMutablePointer<Float>, images: Range<Int>, toProduct product: UnsafeMutablePointer<Float>
    ) {
        let (filters, plane) = (plan.filters, plan.outputPlane)
        let rowLength = images.count * plane
        parallelFor(images.count * filters, grain: max(1, 16_384 / plane), chunksPerThread: 4) { range in
            for pair in range {
                let (b, k) = (pair / filters, pair % filters)
                (product + k * rowLength + b * plane).update(from: dy + ((images.lowerBound + b) * filters + k) * plane, count: plane)
            }
        }
    }
}

/// The two scratch matrices of a CPU convolution call: the columns (`C·R·S × chunk·P·Q`) and
/// the GEMM side in filter-major order (`K × chunk·P·Q`), sized for a full chunk.
private struct ConvScratch {
    let columns: Tensor
    let product: Tensor
    /// The host memory of `columns` and of `product`.
    let columnValues: UnsafeMutablePointer<Float>
    let productValues: UnsafeMutablePointer<Float>
    /// The image ranges, one per chunk.
    let chunks: [Range<Int>]

    init(_ plan: ConvPlan, on device: CPUDevice) throws {
        let images = plan.imagesPerChunk(maxColumnElements: CPUDevice.convolutionColumnLimit)
        columns = try Tensor(uninitializedShape: [plan.patchSize, images * plan.outputPlane], on: device)
        product = try Tensor(uninitializedShape: [plan.filters, images * plan.outputPlane], on: device)
        columnValues = try device.pointer(columns, op: "conv2d")
        productValues = try device.pointer(product, op: "conv2d")
        chunks = plan.chunks(imagesPerChunk: images)
    }
}
