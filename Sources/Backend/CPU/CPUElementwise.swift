import Foundation

extension CPUDevice: ElementwiseOps {
    public func unary(_ op: UnaryOp, _ x: Tensor, into y: Tensor) throws {
        try checkSameCount(op: op.description, ["x": x, "y": y])
        let source = try pointer(x, op: op.description)
        let target = try pointer(y, op: op.description)
        parallelFor(x.count) { range in
            Self.applyUnary(op, source + range.lowerBound, target + range.lowerBound, range.count)
        }
    }

    public func unaryBackward(_ op: UnaryOp, input: Tensor, gradOutput: Tensor, into gradInput: Tensor) throws {
        let name = "\(op) backward"
        try checkSameCount(op: name, ["input": input, "gradOutput": gradOutput, "gradInput": gradInput])
        let x = try pointer(input, op: name)
        let gradient = try pointer(gradOutput, op: name)
        let target = try pointer(gradInput, op: name)
        parallelFor(input.count) { range in
            let start = range.lowerBound
            Self.applyUnaryDerivative(op, x + start, gradient + start, target + start, range.count)
        }
    }

    public func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, into out: Tensor) throws {
        let plan = try checkBinary(op, a, b, out: out)
        let pa = try pointer(a, op: op.description)
        let pb = try pointer(b, op: op.description)
        let po = try pointer(out, op: op.description)
        let last = plan.dims.count - 1
        let rowLength = plan.dims[last]
        let strideA = plan.stridesA[last]
        let strideB = plan.stridesB[last]
        // Walk the flat output range row by row; a row is the innermost merged dimension.
        parallelFor(out.count) { range in
            var index = range.lowerBound
            while index < range.upperBound {
                var row = index / rowLength
                let column = index - row * rowLength
                let length = min(rowLength - column, range.upperBound - index)
                var offsetA = column * strideA
                var offsetB = column * strideB
                for dimension in stride(from: last - 1, through: 0, by: -1) {
                    let position = row % plan.dims[dimension]
                    row /= plan.dims[dimension]
                    offsetA += position * plan.stridesA[dimension]
                    offsetB += position * plan.stridesB[dimension]
                }
                Self.applyBinary(op, pa + offsetA, strideA, pb + offsetB, strideB, po + index, length)
                index += length
            }
        }
    }

    public func binaryScalar(_ op: BinaryOp, _ x: Tensor, scalar: Float, scalarFirst: Bool, into out: Tensor) throws {
        try checkSameCount(op: op.description, ["x": x, "out": out])
        let source = try pointer(x, op: op.description)
        let target = try pointer(out, op: op.description)
        withUnsafePointer(to: scalar) { value in
            parallelFor(x.count) { range in
                let start = range.lowerBound
                if scalarFirst {
                    Self.applyBinary(op, value, 0, source + start, 1, target + start, range.count)
                } else {
                    Self.applyBinary(op, source + start, 1, value, 0, target + start, range.count)
                }
            }
        }
    }

    public func biasActivation(_ x: Tensor, bias: Tensor, activation: UnaryOp?, into out: Tensor) throws {
        let (rows, columns) = try checkBiasActivation(x, bias: bias, out: out)
        let source = try pointer(x, op: "biasActivation")
        let offsets = try pointer(bias, op: "biasActivation")
        let target = try pointer(out, op: "biasActivation")
        parallelFor(rows, grain: max(1, 16_384 / max(columns, 1))) { range in
            for row in range {
                let rowTarget = target + row * columns
                Self.applyBinary(.add, source + row * columns, 1, offsets, 1, rowTarget, columns)
                if let activation { Self.applyUnary(activation, rowTarget, rowTarget, columns) }
            }
        }
    }

    public func activationBackward(_ op: UnaryOp, output: Tensor, gradOutput: Tensor, into gradInput: Tensor) throws {
        try checkActivationBackward(op, output: output, gradOutput: gradOutput, gradInput: gradInput)
        let y = try pointer(output, op: "activationBackward")
        let g = try pointer(gradOutput, op: "activationBackward")
        let gx = try pointer(gradInput, op: "activationBackward")
        parallelFor(output.count) { range in
            let start = range.lowerBound
            Self.applyOutputDerivative(op, y + start, g + start, gx + start, range.count)
        }
    }

    public func biasActivationBackward(
        _ activation: UnaryOp?, output: Tensor, gradOutput: Tensor, into gradInput: Tensor, gradBias: Tensor,
        accumulate: Bool
    ) throws {
        let op = "biasActivationBackward"
        let (rows, columns) = try checkBiasActivationBackward(
            activation, output: output, gradOutput: gradOutput, gradInput: gradInput, gradBias: gradBias)
        let y = try pointer(output, op: op)
        let g = try pointer(gradOutput, op: op)
        let gx = try pointer(gradInput, op: op)
        let gb = try pointer(gradBias, op: op)
        // Columns split over the threads; each sums its columns row by row, in row order.
        parallelFor(columns, grain: max(1, 16_384 / max(rows, 1))) { range in
            let width = range.count
            var sums = [Float](repeating: 0, count: width)
            sums.withUnsafeMutableBufferPointer { sums in
                guard let sums = sums.baseAddress else { return }
                for row in 0..<rows {
                    let offset = row * columns + range.lowerBound
                    if let activation {
                        Self.applyOutputDerivative(activation, y + offset, g + offset, gx + offset, width)
                    } else if gx != g {
                        (gx + offset).update(from: g + offset, count: width)
                    }
                    Self.applyBinary(.add, sums, 1, gx + offset, 1, sums, width)
                }
                let target = gb + range.lowerBound
                if accumulate {
                    Self.applyBinary(.add, target, 1, sums, 1, target, width)
                } else {
                    target.update(from: sums, count: width)
                }
            }
        }
    }

    /// `gx = g * op'(x)` from `y = op(x)` over `count` elements on the calling thread, for ops
    /// whose derivative follows from their output (gx may be g).
    static func applyOutputDerivative(
        _ op: UnaryOp, _ y: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ gx: UnsafeMutablePointer<Float>, _ count: Int
    ) {
        switch op {
        case .relu: CPULoops.combine(y, 1, g, 1, gx, count) { $0 > 0 ? $1 : 0 }
        case let .leakyRelu(slope): CPULoops.combine(y, 1, g, 1, gx, count) { $0 > 0 ? $1 : $1 * slope }
        case .sigmoid: CPULoops.combine(y, 1, g, 1, gx, count) { $1 * ($0 * (1 - $0)) }
        case .tanh: CPULoops.combine(y, 1, g, 1, gx, count) { $1 * (1 - $0 * $0) }
        default: break
        }
    }

    public func fill(_ x: Tensor, value: Float) throws {
        let target = try pointer(x, op: "fill")
        parallelFor(x.count) { range in
            (target + range.lowerBound).update(repeating: value, count: range.count)
        }
    }

    /// `y = op(x)` over `count` elements on the calling thread (x and y may be the same memory).
    static func applyUnary(_ op: UnaryOp, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
        switch op {
        case .relu: CPULoops.map(x, y, count) { $0 > 0 ? $0 : 0 }
        case let .leakyRelu(slope): CPULoops.map(x, y, count) { $0 > 0 ? $0 : $0 * slope }
        case .sigmoid: CPULoops.map(x, y, count) { ScalarMath.sigmoid($0) }
        case .tanh: CPULoops.map(x, y, count) { ScalarMath.tanh($0) }
        case .gelu: CPULoops.map(x, y, count) { ScalarMath.gelu($0) }
        case .exp: CPULoops.map(x, y, count) { Foundation.exp($0) }
        case .log: CPULoops.map(x, y, count) { Foundation.log($0) }
        case .sqrt: CPULoops.map(x, y, count) { $0.squareRoot() }
        case .neg: CPULoops.map(x, y, count) { -$0 }
        case .abs: CPULoops.map(x, y, count) { Swift.abs($0) }
        case .square: CPULoops.map(x, y, count) { $0 * $0 }
        }
    }

    /// `gx = g * op'(x)` over `count` elements on the calling thread.
    static func applyUnaryDerivative(
        _ op: UnaryOp, _ x: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ gx: UnsafeMutablePointer<Float>,
        _ count: Int
    ) {
        switch op {
        case .relu:
            CPULoops.combine(x, 1, g, 1, gx, count) { x, g in x > 0 ? g : 0 }
        case let .leakyRelu(slope):
            CPULoops.combine(x, 1, g, 1, gx, count) { x, g in x > 0 ? g : g * slope }
        case .sigmoid:
            CPULoops.combine(x, 1, g, 1, gx, count) { x, g in
                let s = ScalarMath.sigmoid(x)
                return g * s * (1 - s)
            }
        case .tanh:
            CPULoops.combine(x, 1, g, 1, gx, count) { x, g in
                let t = ScalarMath.tanh(x)
                return g * (1 - t * t)
            }
        case .gelu:
            CPULoops.combine(x, 1, g, 1, gx, count) { x, g in g * ScalarMath.geluDerivative(x) }
        case .exp:
            CPULoops.combine(x, 1, g, 1, gx, count) { x, g in g * Foundation.exp(x) }
        case .log:
            CPULoops.combine(x, 1, g, 1, gx, count) { x, g in g / x }
        case .sqrt:
            CPULoops.combine(x, 1, g, 1, gx, count) { x, g in g / (2 * x.squareRoot()) }
        case .neg:
            CPULoops.combine(x, 1, g, 1, gx, count) { _, g in -g }
        case .abs:
            CPULoops.combine(x, 1, g, 1, gx, count) { x, g in x > 0 ? g : (x < 0 ? -g : 0) }
        case .square:
            CPULoops.combine(x, 1, g, 1, gx, count) { x, g in 2 * x * g }
        }
    }

    /// `out = op(a, b)` over `count` elements, a and b read with strides 0 or 1.
    static func applyBinary(
        _ op: BinaryOp, _ a: UnsafePointer<Float>, _ strideA: Int, _ b: UnsafePointer<Float>, _ strideB: Int,
        _ out: UnsafeMutablePointer<Float>, _ count: Int
    ) {
        switch op {
        case .add: CPULoops.combine(a, strideA, b, strideB, out, count) { $0 + $1 }
        case .sub: CPULoops.combine(a, strideA, b, strideB, out, count) { $0 - $1 }
        case .mul: CPULoops.combine(a, strideA, b, strideB, out, count) { $0 * $1 }
        case .div: CPULoops.combine(a, strideA, b, strideB, out, count) { $0 / $1 }
        case .max: CPULoops.combine(a, strideA, b, strideB, out, count) { $0 > $1 ? $0 : $1 }
        case .min: CPULoops.combine(a, strideA, b, strideB, out, count) { $0 < $1 ? $0 : $1 }
        case .pow: CPULoops.combine(a, strideA, b, strideB, out, count) { Foundation.pow($0, $1) }
        }
    }
}
