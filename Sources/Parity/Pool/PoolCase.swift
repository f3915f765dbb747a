import Backend

/// One pooling case: an NCHW input shape and a window.
public struct PoolCase: Sendable, CustomStringConvertible {
    /// `[N, C, H, W]`.
    public let shape: [Int]
    /// The window.
    public let descriptor: Pool2DDescriptor

    public init(shape: [Int], descriptor: Pool2DDescriptor) {
        self.shape = shape
        self.descriptor = descriptor
    }

    public var description: String { "\(shape) \(descriptorText)" }

    /// The window's kernel, stride and padding (`k3x3 s2x2 p1x1`).
    public var descriptorText: String {
        let d = descriptor
        return "k\(d.kernelHeight)x\(d.kernelWidth) s\(d.strideHeight)x\(d.strideWidth) p\(d.paddingHeight)x\(d.paddingWidth)"
    }

    /// Batch 1, odd channel counts, kernels 1/3/5, stride 2, padding 0–2, a non-square window.
    public static let all: [PoolCase] = [
        PoolCase(shape: [1, 3, 7, 9], descriptor: Pool2DDescriptor(kernel: 3, stride: 2, padding: 1)),
        PoolCase(shape: [2, 5, 8, 8], descriptor: Pool2DDescriptor(kernel: 2)),
        PoolCase(shape: [2, 3, 7, 9], descriptor: Pool2DDescriptor(kernel: 2)),
        PoolCase(shape: [1, 1, 5, 5], descriptor: Pool2DDescriptor(kernel: 5, stride: 1, padding: 2)),
        PoolCase(shape: [3, 2, 6, 7], descriptor: Pool2DDescriptor(kernel: 1, stride: 2)),
        PoolCase(shape: [2, 3, 9, 6], descriptor: Pool2DDescriptor(kernel: 3, stride: 1)),
        PoolCase(shape: [1, 7, 11, 10], descriptor: Pool2DDescriptor(kernel: 5, stride: 2, padding: 2)),
        PoolCase(shape: [2, 3, 6, 9], descriptor: Pool2DDescriptor(
            kernelHeight: 3, kernelWidth: 1, strideHeight: 1, strideWidth: 2, paddingHeight: 1, paddingWidth: 0)),
    ]

    /// `[N, C, P, Q]`.
    public var outputShape: [Int] {
        let d = descriptor
        return [shape[0], shape[1],
                (shape[2] + 2 * d.paddingHeight - d.kernelHeight) / d.strideHeight + 1,
                (shape[3] + 2 * d.paddingWidth - d.kernelWidth) / d.strideWidth + 1]
    }

    /// The in-bounds flat positions of each output window, per plane, row-major.
    public func windows() -> [[Int]] {
        let d = descriptor
        let (height, width) = (shape[2], shape[3])
        let out = outputShape
        var result: [[Int]] = []
        for oh in 0..<out[2] {
            for ow in 0..<out[3] {
                var positions: [Int] = []
                for kh in 0..<d.kernelHeight {
                    for kw in 0..<d.kernelWidth {
                        let h = oh * d.strideHeight - d.paddingHeight + kh
                        let w = ow * d.strideWidth - d.paddingWidth + kw
                        if h >= 0, h < height, w >= 0, w < width { positions.append(h * width + w) }
                    }
                }
                result.append(positions)
            }
        }
        return result
    }

    /// Double reference: max (with argmax) or average over every window of every plane.
    public func reference(_ x: [Double], max: Bool, countIncludesPadding: Bool = true) -> (values: [Double], argmax: [Double]) {
        let planeSize = shape[2] * shape[3]
        let windows = windows()
        var values: [Double] = []
        var argmax: [Double] = []
        for plane in 0..<(shape[0] * shape[1]) {
            let base = plane * planeSize
            for window in windows {
                if max {
                    let best = window.max { x[base + $0] < x[base + $1] } ?? 0
                    values.append(x[base + best])
                    argmax.append(Double(best))
                } else {
                    let divisor = countIncludesPadding ? descriptor.kernelHeight * descriptor.kernelWidth : window.count
                    values.append(window.reduce(0) { $0 + x[base + $1] } / Double(divisor))
                }
            }
        }
        return (values, argmax)
    }
}
