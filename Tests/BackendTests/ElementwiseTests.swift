import Backend
import Foundation
import Testing
import TestSupport

/// Parity of every elementwise op with a Double reference on the host, on every device, and of
/// the CPU with each OpenCL device.
@Suite struct ElementwiseTests {
    static let tolerance = 1e-4
    /// Odd sizes, size-1 dimensions, a scalar and one large tensor.
    static let shapes: [[Int]] = [[], [1], [7], [3, 1, 5], [513, 1], [1, 257], [1_000_003]]
    static let broadcastPairs: [([Int], [Int])] = [
        ([7], [7]), ([1_000_003], [1_000_003]), ([3, 1], [1, 4]), ([2, 3, 4], [4]), ([4], [2, 3, 4]),
        ([3, 1, 5], [1]), ([], [2, 3]), ([2, 3], []), ([513, 1], [1, 257]), ([2, 1, 3, 1], [5, 1, 7]), ([1], [1]),
    ]

    // MARK: unary

    @Test(arguments: TestDevice.all, UnaryOp.allCases)
    func unaryMatchesReference(device: TestDevice, op: UnaryOp) throws {
        for (index, (shape, range)) in Self.unaryCases(op).enumerated() {
            let values = cachedRandomValues(Tensor.elementCount(shape), in: range, seed: UInt64(index))
            let x = try Tensor(values, shape: shape, on: device.device)
            let y = try poisonedTensor(shape, on: device.device)
            try device.device.unary(op, x, into: y)
            expectClose(try y.toArray(), values.map { ElementwiseReference.unary(op, Double($0)) },
                        tolerance: Self.tolerance, "\(op) \(shape) in \(range)")
        }
    }

    @Test(arguments: TestDevice.all, UnaryOp.allCases)
    func unaryBackwardMatchesReference(device: TestDevice, op: UnaryOp) throws {
        for (index, (shape, range)) in Self.unaryCases(op).enumerated() {
            let count = Tensor.elementCount(shape)
            let values = cachedRandomValues(count, in: range, seed: UInt64(index))
            let gradients = cachedRandomValues(count, seed: UInt64(index) + 100)
            let gradInput = try poisonedTensor(shape, on: device.device)
            try device.device.unaryBackward(
                op, input: Tensor(values, shape: shape, on: device.device),
                gradOutput: Tensor(gradients, shape: shape, on: device.device), into: gradInput)
            let expected = zip(values, gradients).map { ElementwiseReference.derivative(op, Double($0)) * Double($1) }
            expectClose(try gradInput.toArray(), expected, tolerance: Self.tolerance, "\(op)' \(shape) in \(range)")
        }
    }

    @Test(arguments: TestDevice.all)
    func unaryWorksInPlace(device: TestDevice) throws {
        let values = cachedRandomValues(1000, seed: 7)
        let x = try Tensor(values, shape: [1000], on: device.device)
        try device.device.unary(.sigmoid, x, into: x)
        expectClose(try x.toArray(), values.map { ElementwiseReference.unary(.sigmoid, Double($0)) }, tolerance: Self.tolerance)
    }

    @Test(arguments: TestDevice.openCL, UnaryOp.allCases)
    func unaryAgreesAcrossDevices(device: TestDevice, op: UnaryOp) throws {
        for (index, (shape, range)) in Self.unaryCases(op).enumerated() {
            let count = Tensor.elementCount(shape)
            let values = cachedRandomValues(count, in: range, seed: UInt64(index))
            let gradients = cachedRandomValues(count, seed: UInt64(index) + 100)
            let results = try [TestDevice.cpu, device].map { target in
                let on = target.device
                let y = try poisonedTensor(shape, on: on)
                let gradInput = try poisonedTensor(shape, on: on)
                try on.unary(op, Tensor(values, shape: shape, on: on), into: y)
                try on.unaryBackward(
                    op, input: Tensor(values, shape: shape, on: on), gradOutput: Tensor(gradients, shape: shape, on: on),
                    into: gradInput)
                return (try y.toArray(), try gradInput.toArray())
            }
            expectClose(results[1].0, results[0].0, tolerance: Self.tolerance, "\(op) \(shape): \(device) vs cpu")
            expectClose(results[1].1, results[0].1, tolerance: Self.tolerance, "\(op)' \(shape): \(device) vs cpu")
        }
    }

    // MARK: binary

    @Test(arguments: TestDevice.all, BinaryOp.allCases)
    func binaryBroadcastsLikeNumPy(device: TestDevice, op: BinaryOp) throws {
        for (index, (shapeA, shapeB)) in Self.broadcastPairs.enumerated() {
            let (a, b) = Self.binaryInputs(op, shapeA, shapeB, seed: UInt64(index))
            let (expected, outputShape) = ElementwiseReference.broadcast(op, a, shapeA, b, shapeB)
            let out = try poisonedTensor(outputShape, on: device.device)
            try device.device.binary(
                op, Tensor(a, shape: shapeA, on: device.device), Tensor(b, shape: shapeB, on: device.device), into: out)
            expectClose(try out.toArray(), expected, tolerance: Self.tolerance, "\(op) \(shapeA) with \(shapeB)")
        }
    }

    @Test(arguments: TestDevice.openCL, BinaryOp.allCases)
    func binaryAgreesAcrossDevices(device: TestDevice, op: BinaryOp) throws {
        for (index, (shapeA, shapeB)) in Self.broadcastPairs.enumerated() {
            let (a, b) = Self.binaryInputs(op, shapeA, shapeB, seed: UInt64(index))
            let (_, outputShape) = ElementwiseReference.broadcast(op, a, shapeA, b, shapeB)
            let results = try [TestDevice.cpu, device].map { target in
                let out = try poisonedTensor(outputShape, on: target.device)
                try target.device.binary(
                    op, Tensor(a, shape: shapeA, on: target.device), Tensor(b, shape: shapeB, on: target.device), into: out)
                return try out.toArray()
            }
            expectClose(results[1], results[0], tolerance: Self.tolerance, "\(op) \(shapeA) with \(shapeB): \(device) vs cpu")
        }
    }

    @Test(arguments: TestDevice.all, BinaryOp.allCases)
    func scalarVariantsMatchReference(device: TestDevice, op: BinaryOp) throws {
        let scalar: Float = 1.75
        for scalarFirst in [false, true] {
            for (index, shape) in Self.shapes.enumerated() {
                let count = Tensor.elementCount(shape)
                // pow needs a positive base: the tensor when it comes first, the scalar otherwise.
                let range: ClosedRange<Float> = op == .pow ? (scalarFirst ? -3...3 : 0.5...2) : -1e3...1e3
                let values = cachedRandomValues(count, in: range, seed: UInt64(index))
                let out = try poisonedTensor(shape, on: device.device)
                try device.device.binaryScalar(
                    op, Tensor(values, shape: shape, on: device.device), scalar: scalar, scalarFirst: scalarFirst, into: out)
                let expected = values.map {
                    scalarFirst
                        ? ElementwiseReference.binary(op, Double(scalar), Double($0))
                        : ElementwiseReference.binary(op, Double($0), Double(scalar))
                }
                expectClose(try out.toArray(), expected, tolerance: Self.tolerance, "\(op) \(shape) scalarFirst=\(scalarFirst)")
            }
        }
    }

    // MARK: fused bias + activation, fill

    @Test(arguments: TestDevice.all, [UnaryOp?.none] + UnaryOp.allCases.map(Optional.some))
    func biasActivationMatchesReference(device: TestDevice, activation: UnaryOp?) throws {
        let range = activation.map(Self.domain) ?? -1e3...1e3
        // Keep x + bias inside the activation's domain: half of it from each.
        let half = range.lowerBound / 2...range.upperBound / 2
        for (index, shape) in [[5, 7], [1, 257], [3, 1, 5], [1000, 3], [9]].enumerated() {
            let columns = shape.last ?? 1
            let x = cachedRandomValues(Tensor.elementCount(shape), in: half, seed: UInt64(index))
            let bias = cachedRandomValues(columns, in: half, seed: UInt64(index) + 50)
            let out = try poisonedTensor(shape, on: device.device)
            try device.device.biasActivation(
                Tensor(x, shape: shape, on: device.device), bias: Tensor(bias, shape: [columns], on: device.device),
                activation: activation, into: out)
            let expected = x.enumerated().map { position, value in
                let sum = Double(value + bias[position % columns])
                return activation.map { ElementwiseReference.unary($0, sum) } ?? sum
            }
            expectClose(try out.toArray(), expected, tolerance: Self.tolerance, "bias + \(activation.map { "\($0)" } ?? "identity") \(shape)")
        }
    }

    @Test(arguments: TestDevice.all)
    func fillSetsEveryElement(device: TestDevice) throws {
        for shape in Self.shapes {
            let x = try poisonedTensor(shape, on: device.device)
            try device.device.fill(x, value: -3.25)
            expectClose(try x.toArray(), [Double](repeating: -3.25, count: x.count), tolerance: 0, "fill \(shape)")
        }
        #expect(try Tensor.zeros([3, 1, 5], on: device.device).toArray() == [Float](repeating: 0, count: 15))
        #expect(try Tensor(repeating: 2, shape: [257], on: device.device).toArray() == [Float](repeating: 2, count: 257))
    }

    // MARK: convenience API and errors

    @Test(arguments: TestDevice.all)
    func operatorsAllocateBroadcastOutputs(device: TestDevice) throws {
        let on = device.device
        let a = try Tensor([1, 2, 3], shape: [3, 1], on: on)
        let b = try Tensor([10, 20, 30, 40], shape: [1, 4], on: on)
        let sum = try a + b
        #expect(sum.shape == [3, 4])
        #expect(try sum.toArray() == [11, 21, 31, 41, 12, 22, 32, 42, 13, 23, 33, 43])
        #expect(try (a * b).toArray()[5] == 40)
        #expect(try (a - 2).toArray() == [-1, 0, 1])
        #expect(try (2 - a).toArray() == [1, 0, -1])
        #expect(try (a / 2).toArray() == [0.5, 1, 1.5])
        #expect(try (6 / a).toArray() == [6, 3, 2])
        #expect(try (-a).toArray() == [-1, -2, -3])
        #expect(try (a * 2 + 1).toArray() == [3, 5, 7])
        #expect(try Tensor([-1, 0.5], shape: [2], on: on).relu().toArray() == [0, 0.5])
        #expect(try Tensor([-1, 2], shape: [2], on: on).applying(.square).toArray() == [1, 4])
        let bias = try Tensor([0.5, -5], shape: [2], on: on)
        #expect(try Tensor([1, 2], shape: [1, 2], on: on).addingBias(bias, activation: .relu).toArray() == [1.5, 0])
    }

    @Test(arguments: TestDevice.all)
    func mismatchedShapesThrowNamingTheOp(device: TestDevice) throws {
        let on = device.device
        let a = try randomTensor([3], seed: 1, on: on)
        let b = try randomTensor([4], seed: 2, on: on)
        #expect(throws: BackendError.shapeMismatch(op: "add", detail: "shapes [3] and [4] do not broadcast")) { try a + b }
        let error = #expect(throws: BackendError.self) { try on.unary(.relu, a, into: b) }
        #expect(error.map { "\($0)" }?.contains("relu") == true)
        #expect(throws: BackendError.self) { try on.binary(.mul, a, a, into: b) }
        #expect(throws: BackendError.self) { try on.biasActivation(a, bias: b, activation: .relu, into: a) }
        #expect(throws: BackendError.self) { try on.unaryBackward(.tanh, input: a, gradOutput: b, into: a) }
    }

    // MARK: inputs

    /// Where each op is defined and tested: positive inputs for log and sqrt, exp kept finite.
    static func domain(_ op: UnaryOp) -> ClosedRange<Float> {
        switch op {
        case .log, .sqrt: 1e-3...1e3
        case .exp: -80...80
        default: -1e3...1e3
        }
    }

    /// Every small shape with small and large magnitudes, and the large tensor with large ones.
    static func unaryCases(_ op: UnaryOp) -> [([Int], ClosedRange<Float>)] {
        let small: ClosedRange<Float> = op == .log || op == .sqrt ? 1e-3...1 : -1...1
        return shapes.dropLast().flatMap { [($0, small), ($0, domain(op))] } + [(shapes[shapes.count - 1], domain(op))]
    }

    /// Random operands; pow gets positive bases and moderate exponents.
    static func binaryInputs(_ op: BinaryOp, _ shapeA: [Int], _ shapeB: [Int], seed: UInt64) -> ([Float], [Float]) {
        let rangeA: ClosedRange<Float> = op == .pow ? 0.5...2 : -1e3...1e3
        let rangeB: ClosedRange<Float> = op == .pow ? -3...3 : -1e3...1e3
        return (cachedRandomValues(Tensor.elementCount(shapeA), in: rangeA, seed: seed),
                cachedRandomValues(Tensor.elementCount(shapeB), in: rangeB, seed: seed + 1000))
    }
}

/// The elementwise ops in Double, written independently of the backend.
enum ElementwiseReference {
    static func unary(_ op: UnaryOp, _ x: Double) -> Double {
        switch op {
        case .relu: Swift.max(x, 0)
        case let .leakyRelu(slope): x > 0 ? x : x * Double(slope)
        case .sigmoid: x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
        case .tanh: Foundation.tanh(x)
        case .gelu: 0.5 * x * (1 + Foundation.erf(x / 2.0.squareRoot()))
        case .exp: Foundation.exp(x)
        case .log: Foundation.log(x)
        case .sqrt: x.squareRoot()
        case .neg: -x
        case .abs: Swift.abs(x)
        case .square: x * x
        }
    }

    static func derivative(_ op: UnaryOp, _ x: Double) -> Double {
        switch op {
        case .relu: x > 0 ? 1 : 0
        case let .leakyRelu(slope): x > 0 ? 1 : Double(slope)
        case .sigmoid: unary(.sigmoid, x) * (1 - unary(.sigmoid, x))
        case .tanh: 1 - Foundation.tanh(x) * Foundation.tanh(x)
        case .gelu: 0.5 * (1 + Foundation.erf(x / 2.0.squareRoot())) + x * Foundation.exp(-x * x / 2) / (2 * Double.pi).squareRoot()
        case .exp: Foundation.exp(x)
        case .log: 1 / x
        case .sqrt: 0.5 / x.squareRoot()
        case .neg: -1
        case .abs: x > 0 ? 1 : (x < 0 ? -1 : 0)
        case .square: 2 * x
        }
    }

    static func binary(_ op: BinaryOp, _ a: Double, _ b: Double) -> Double {
        switch op {
        case .add: a + b
        case .sub: a - b
        case .mul: a * b
        case .div: a / b
        case .max: Swift.max(a, b)
        case .min: Swift.min(a, b)
        case .pow: Foundation.pow(a, b)
        }
    }

    /// `op(a, b)` with NumPy broadcasting, element by element, and the output shape.
    static func broadcast(_ op: BinaryOp, _ a: [Float], _ shapeA: [Int], _ b: [Float], _ shapeB: [Int]) -> ([Double], [Int]) {
        let rank = Swift.max(shapeA.count, shapeB.count)
        let paddedA = [Int](repeating: 1, count: rank - shapeA.count) + shapeA
        let paddedB = [Int](repeating: 1, count: rank - shapeB.count) + shapeB
        let shape = zip(paddedA, paddedB).map { Swift.max($0, $1) }
        let count = shape.reduce(1, *)
        var result: [Double] = []
        result.reserveCapacity(count)
        for flat in 0..<count {
            var rest = flat
            var indexA = 0, indexB = 0, strideA = 1, strideB = 1
            for d in (0..<rank).reversed() {
                let position = rest % shape[d]
                rest /= shape[d]
                indexA += (paddedA[d] == 1 ? 0 : position) * strideA
                indexB += (paddedB[d] == 1 ? 0 : position) * strideB
                strideA *= paddedA[d]
                strideB *= paddedB[d]
            }
            result.append(binary(op, Double(a[indexA]), Double(b[indexB])))
        }
        return (result, shape)
    }
}
