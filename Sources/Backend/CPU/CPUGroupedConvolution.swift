/// Grouped convolution on the CPU, computed directly: one task per output plane (forward), input
/// plane (input gradient) or weight value (weight gradient), so no two threads write one value.
extension CPUDevice: GroupedConvolutionOps {
    public func groupedConv2d(
        _ input: Tensor, weight: Tensor, bias: Tensor?, groups: Int, _ descriptor: Conv2DDescriptor, into output: Tensor
    ) throws {
        let op = "groupedConv2d"
        let plan = try checkGroupedConv(op: op, input: input, weight: weight, output: output, bias: bias, groups: groups, descriptor)
        let (x, w, y) = (try pointer(input, op: op), try pointer(weight, op: op), try pointer(output, op: op))
        let b = try bias.map { try pointer($0, op: op) }
        let c = plan.conv, d = descriptor
        let (cg, kg) = (plan.channelsPerGroup, plan.filtersPerGroup)
        parallelFor(c.batch * c.filters, grain: 1) { range in
            for plane in range {
                let (n, k) = (plane / c.filters, plane % c.filters)
                let firstChannel = (k / kg) * cg
                for p in 0..<c.outputHeight {
                    for q in 0..<c.outputWidth {
                        var sum = b.map { $0[k] } ?? 0
                        for channel in 0..<cg {
                            let image = x + (n * c.channels + firstChannel + channel) * c.inputPlane
                            let taps = w + (k * cg + channel) * c.kernelHeight * c.kernelWidth
                            for r in 0..<c.kernelHeight {
                                let h = p * d.strideHeight - d.paddingHeight + r * d.dilationHeight
                                guard h >= 0, h < c.height else { continue }
                                for s in 0..<c.kernelWidth {
                                    let column = q * d.strideWidth - d.paddingWidth + s * d.dilationWidth
                                    guard column >= 0, column < c.width else { continue }
                                    sum += taps[r * c.kernelWidth + s] * image[h * c.width + column]
                                }
                            }
                        }
                        y[plane * c.outputPlane + p * c.outputWidth + q] = sum
                    }
                }
            }
        }
    }

    public func groupedConv2dBackwardInput(
        gradOutput: Tensor, weight: Tensor, groups: Int, _ descriptor: Conv2DDescriptor, into gradInput: Tensor
    ) throws {
        let op = "groupedConv2dBackwardInput"
        let plan = try checkGroupedConv(op: op, input: gradInput, weight: weight, output: gradOutput, groups: groups, descriptor)
        let (dy, w, dx) = (try pointer(gradOutput, op: op), try pointer(weight, op: op), try pointer(gradInput, op: op))
        let c = plan.conv, d = descriptor
        let (cg, kg) = (plan.channelsPerGroup, plan.filtersPerGroup)
        parallelFor(c.batch * c.channels, grain: 1) { range in
            for plane in range {
                let (n, channel) = (plane / c.channels, plane % c.channels)
                let (firstFilter, local) = ((channel / cg) * kg, channel % cg)
                for h in 0..<c.height {
                    for column in 0..<c.width {
                        var sum: Float = 0
                        for filter in firstFilter..<firstFilter + kg {
                            let gradients = dy + (n * c.filters + filter) * c.outputPlane
                            let taps = w + (filter * cg + local) * c.kernelHeight * c.kernelWidth
                            for r in 0..<c.kernelHeight {
                                let rows = h + d.paddingHeight - r * d.dilationHeight
                                guard rows >= 0, rows % d.strideHeight == 0, rows / d.strideHeight < c.outputHeight else { continue }
                                for s in 0..<c.kernelWidth {
                                    let columns = column + d.paddingWidth - s * d.dilationWidth
                                    guard columns >= 0, columns % d.strideWidth == 0, columns / d.strideWidth < c.outputWidth else { continue }
                                    sum += taps[r * c.kernelWidth + s]
                                        * gradients[(rows / d.strideHeight) * c.outputWidth + columns / d.strideWidth]
                                }
                            }
                        }
                        dx[plane * c.inputPlane + h * c.width + column] = sum
                    }
                }
            }
        }
    }

    public func groupedConv2dBackwardWeight(
        gradOutput: Tensor, input: Tensor, groups: Int, _ descriptor: Conv2DDescriptor, into gradWeight: Tensor, accumulate: Bool
    ) throws {
        let op = "groupedConv2dBackwardWeight"
        let plan = try checkGroupedConv(op: op, input: input, weight: gradWeight, output: gradOutput, groups: groups, descriptor)
        let (dy, x, dw) = (try pointer(gradOutput, op: op), try pointer(input, op: op), try pointer(gradWeight, op: op))
        let c = plan.conv, d = descriptor
        let (cg, kg) = (plan.channelsPerGroup, plan.filtersPerGroup)
        let taps = c.kernelHeight * c.kernelWidth
        parallelFor(gradWeight.count, grain: 1) { range in
            for index in range {
                let (filter, local, r, s) = (index / (cg * taps), (index / taps) % cg, (index % taps) / c.kernelWidth, index % c.kernelWidth)
                let channel = (filter / kg) * cg + local
                var sum: Double = 0
                for n in 0..<c.batch {
                    let image = x + (n * c.channels + channel) * c.inputPlane
                    let gradients = dy + (n * c.filters + filter) * c.outputPlane
                    for p in c.validRows(tap: r) {
                        let h = p * d.strideHeight - d.paddingHeight + r * d.dilationHeight
                        for q in c.validColumns(tap: s) {
                            let column = q * d.strideWidth - d.paddingWidth + s * d.dilationWidth
                            sum += Double(gradients[p * c.outputWidth + q]) * Double(image[h * c.width + column])
                        }
                    }
                }
                dw[index] = (accumulate ? dw[index] : 0) + Float(sum)
            }
        }
    }
}
