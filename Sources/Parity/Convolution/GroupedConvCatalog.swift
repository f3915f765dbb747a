import Backend

extension ParityCatalog {
    /// Grouped (and depthwise) convolution forward, input gradient and weight gradient.
    public static let groupedConvolution: [ParityCase] = [
        GroupedConvCatalog.forward, GroupedConvCatalog.backwardInput, GroupedConvCatalog.backwardWeight,
    ]
}

/// Grouped convolution cases: depthwise, channel multipliers, strides, padding and dilation.
enum GroupedConvCatalog {
    /// Input `[N, C, H, W]`, filters, groups, kernel `R × S` and descriptor.
    struct Shape {
        let input: [Int], filters: Int, groups: Int, kernel: (Int, Int), descriptor: Conv2DDescriptor
        var weight: [Int] { [filters, input[1] / groups, kernel.0, kernel.1] }
        var output: [Int] { (try? descriptor.outputShape(input: input, weight: [filters, input[1], kernel.0, kernel.1])) ?? [] }
        var label: String { "\(input) K=\(filters) groups=\(groups) \(kernel.0)×\(kernel.1) \(descriptor)" }
    }

    static let family = "convolution"
    static let tolerance = 1e-4
    static let shapes = [
        Shape(input: [2, 4, 5, 6], filters: 4, groups: 4, kernel: (3, 3), descriptor: Conv2DDescriptor(padding: 1)),
        Shape(input: [2, 4, 7, 7], filters: 6, groups: 2, kernel: (3, 2), descriptor: Conv2DDescriptor(
            strideHeight: 2, strideWidth: 1, paddingHeight: 1, paddingWidth: 2, dilationHeight: 2, dilationWidth: 1)),
        Shape(input: [1, 3, 9, 8], filters: 6, groups: 3, kernel: (1, 1), descriptor: Conv2DDescriptor(stride: 2)),
        Shape(input: [3, 8, 6, 6], filters: 8, groups: 8, kernel: (5, 5), descriptor: Conv2DDescriptor(padding: 2, dilation: 1)),
    ]

    /// Every product of the convolution, visited once: (output index, weight index, input index).
    static func terms(_ shape: Shape, _ visit: (Int, Int, Int) -> Void) {
        let (n, c, h, w) = (shape.input[0], shape.input[1], shape.input[2], shape.input[3])
        let (k, cg, r, s) = (shape.filters, c / shape.groups, shape.kernel.0, shape.kernel.1)
        let (p, q, d) = (shape.output[2], shape.output[3], shape.descriptor)
        for image in 0..<n {
            for filter in 0..<k {
                for local in 0..<cg {
                    let channel = (filter / (k / shape.groups)) * cg + local
                    for row in 0..<p { for column in 0..<q { for tr in 0..<r { for ts in 0..<s {
                        let y = row * d.strideHeight - d.paddingHeight + tr * d.dilationHeight
                        let x = column * d.strideWidth - d.paddingWidth + ts * d.dilationWidth
                        guard y >= 0, y < h, x >= 0, x < w else { continue }
                        visit(((image * k + filter) * p + row) * q + column, ((filter * cg + local) * r + tr) * s + ts,
                              ((image * c + channel) * h + y) * w + x)
                    } } } }
                }
            }
        }
    }

    static func check(_ index: Int, _ shape: Shape, _ trial: @escaping @Sendable ([Float], [Float], [Float], [Float]) -> ParityTrial) -> ParityCheck {
        ParityCheck(shape: shape.input, variant: "K=\(shape.filters) groups=\(shape.groups)") {
            let seed = UInt64(index) * 10
            return trial(
                randomValues(Tensor.elementCount(shape.input), seed: seed), randomValues(Tensor.elementCount(shape.weight), seed: seed + 1),
                randomValues(shape.filters, seed: seed + 2), randomValues(Tensor.elementCount(shape.output), seed: seed + 3))
        }
    }

    static let forward = ParityCase(family: family, op: "groupedConv2d", tolerance: tolerance, checks: shapes.enumerated().map { index, shape in
        check(index, shape) { input, weight, bias, _ in
            ParityTrial(
                run: { device in
                    let out = try poisonedTensor(shape.output, on: device)
                    try device.groupedConv2d(
                        Tensor(input, shape: shape.input, on: device), weight: Tensor(weight, shape: shape.weight, on: device),
                        bias: Tensor(bias, shape: [shape.filters], on: device), groups: shape.groups, shape.descriptor, into: out)
                    return try out.toArray()
                },
                reference: {
                    let plane = shape.output[2] * shape.output[3]
                    var result = (0..<Tensor.elementCount(shape.output)).map { Double(bias[($0 / plane) % shape.filters]) }
                    terms(shape) { y, w, x in result[y] += Double(weight[w]) * Double(input[x]) }
                    return result
                })
        }
    })

    static let backwardInput = ParityCase(family: family, op: "groupedConv2dBackwardInput", tolerance: tolerance, checks: shapes.enumerated().map { index, shape in
        check(index, shape) { _, weight, _, gradient in
            ParityTrial(
                run: { device in
                    let out = try poisonedTensor(shape.input, on: device)
                    try device.groupedConv2dBackwardInput(
                        gradOutput: Tensor(gradient, shape: shape.output, on: device), weight: Tensor(weight, shape: shape.weight, on: device),
                        groups: shape.groups, shape.descriptor, into: out)
                    return try out.toArray()
                },
                reference: {
                    var result = [Double](repeating: 0, count: Tensor.elementCount(shape.input))
                    terms(shape) { y, w, x in result[x] += Double(weight[w]) * Double(gradient[y]) }
                    return result
                })
        }
    })

    /// Accumulating into previous weight-gradient values (random values of the weight's shape).
    static let backwardWeight = ParityCase(family: family, op: "groupedConv2dBackwardWeight", tolerance: tolerance, checks: shapes.enumerated().map { index, shape in
        check(index, shape) { input, previous, _, gradient in
            ParityTrial(
                run: { device in
                    let out = try Tensor(previous, shape: shape.weight, on: device)
                    try device.groupedConv2dBackwardWeight(
                        gradOutput: Tensor(gradient, shape: shape.output, on: device), input: Tensor(input, shape: shape.input, on: device),
                        groups: shape.groups, shape.descriptor, into: out, accumulate: true)
                    return try out.toArray()
                },
                reference: {
                    var result = previous.map(Double.init)
                    terms(shape) { y, w, x in result[w] += Double(input[x]) * Double(gradient[y]) }
                    return result
                })
        }
    })
}
