@testable import Backend
import Foundation
import Testing
import TestSupport

/// Parity of reductions and softmax with a Double reference on every device, and of the CPU with
/// each OpenCL device.
@Suite struct ReductionTests {
    static let tolerance = 1e-4
    /// Shapes and axes covering rows of length 1, size-1 dimensions, odd sizes, strided rows,
    /// many outputs, and long rows that the devices split over threads or work-groups.
    static let reductionCases: [([Int], Int?)] = [
        ([1], nil), ([1], 0), ([7], nil), ([7], 0), ([3, 1, 5], 0), ([3, 1, 5], 1), ([3, 1, 5], 2), ([3, 1, 5], -1),
        ([3, 1, 5], nil), ([513, 1], 0), ([513, 1], 1), ([1, 257], 0), ([1, 257], 1), ([2, 50, 600], 1),
        ([37, 1100], 0), ([300, 70], 1), ([100_003, 3], 0), ([3, 100_003], 1), ([1_000_003], nil), ([1_000_003], 0),
    ]
    static let softmaxCases: [([Int], Int)] = [
        ([1], 0), ([7], 0), ([3, 1, 5], 0), ([3, 1, 5], 1), ([3, 1, 5], 2), ([513, 1], 1), ([513, 1], 0), ([1, 257], 1),
        ([1000, 10], -1), ([300, 70], 1), ([2, 50, 600], 1), ([3, 100_003], 1),
    ]
    static let ranges: [ClosedRange<Float>] = [-1...1, -1e3...1e3]

    // MARK: reductions

    @Test(arguments: TestDevice.all, ReduceOp.allCases)
    func reductionsMatchReference(device: TestDevice, op: ReduceOp) throws {
        try Self.checkReductions(op, on: device.device)
    }

    @Test(arguments: TestDevice.openCL, ReduceOp.allCases)
    func reductionsAgreeAcrossDevices(device: TestDevice, op: ReduceOp) throws {
        for (index, (shape, axis)) in Self.reductionCases.enumerated() {
            let values = cachedRandomValues(Tensor.elementCount(shape), in: -1e3...1e3, seed: UInt64(index))
            let (_, outputShape) = ReductionReference.reduce(op, [], shape: shape, axis: axis)
            let results = try [TestDevice.cpu, device].map { target in
                let out = try poisonedTensor(outputShape, on: target.device)
                try target.device.reduce(op, Tensor(values, shape: shape, on: target.device), axis: axis, into: out)
                return try out.toArray()
            }
            expectClose(results[1], results[0], tolerance: Self.tolerance, "\(op) of \(shape) along \(String(describing: axis)): \(device) vs cpu")
        }
    }

    @Test(arguments: TestDevice.all)
    func argmaxKeepsTheFirstOfEqualMaxima(device: TestDevice) throws {
        var values = [Float](repeating: -1, count: 70_001)
        for position in [5, 40_000, 70_000] { values[position] = 3 }
        let x = try Tensor(values, shape: [70_001], on: device.device)
        #expect(try x.argmax().item() == 5)
        let rows = try Tensor([1, 4, 4, 2, 9, 9], shape: [2, 3], on: device.device)
        #expect(try rows.argmax(axis: 1).toArray() == [1, 1])
    }

    @Test(arguments: TestDevice.all)
    func emptyAxesSumToZeroAndRefuseTheRest(device: TestDevice) throws {
        let empty = try Tensor([], shape: [3, 0], on: device.device)
        #expect(try empty.sum(axis: 1).toArray() == [0, 0, 0])
        #expect(try empty.sum(axis: 0).toArray() == [])
        #expect(throws: BackendError.self) { try empty.max(axis: 1) }
        #expect(throws: BackendError.self) { try empty.mean() }
    }

    // MARK: softmax

    @Test(arguments: TestDevice.all, [false, true])
    func softmaxMatchesReference(device: TestDevice, log: Bool) throws {
        try Self.checkSoftmax(log: log, on: device.device)
    }

    @Test(arguments: TestDevice.all, [false, true])
    func softmaxBackwardMatchesReference(device: TestDevice, log: Bool) throws {
        try Self.checkSoftmaxBackward(log: log, on: device.device)
    }

    /// OpenCL kernels spread rows over work-items one way on CPUs and another on GPUs: check the
    /// way this device does not use by default, too.
    @Test(arguments: TestDevice.openCL)
    func otherWorkLayoutMatchesReference(device: TestDevice) throws {
        let twin = try #require(try privateTwin(of: device.device) as? OpenCLDevice)
        twin.prefersContiguousWork.toggle()
        for op in ReduceOp.allCases { try Self.checkReductions(op, on: twin) }
        for log in [false, true] {
            try Self.checkSoftmax(log: log, on: twin)
            try Self.checkSoftmaxBackward(log: log, on: twin)
        }
    }

    @Test(arguments: TestDevice.openCL, [false, true])
    func softmaxAgreesAcrossDevices(device: TestDevice, log: Bool) throws {
        for (index, (shape, axis)) in Self.softmaxCases.enumerated() {
            let count = Tensor.elementCount(shape)
            let logits = cachedRandomValues(count, in: -1e3...1e3, seed: UInt64(index))
            let gradients = cachedRandomValues(count, seed: UInt64(index) + 100)
            let results = try [TestDevice.cpu, device].map { target in
                let on = target.device
                let output = try poisonedTensor(shape, on: on)
                let gradInput = try poisonedTensor(shape, on: on)
                try on.softmax(Tensor(logits, shape: shape, on: on), axis: axis, log: log, into: output)
                try on.softmaxBackward(
                    output: output, gradOutput: Tensor(gradients, shape: shape, on: on), axis: axis, log: log, into: gradInput)
                return (try output.toArray(), try gradInput.toArray())
            }
            let name = log ? "logSoftmax" : "softmax"
            expectClose(results[1].0, results[0].0, tolerance: Self.tolerance, "\(name) of \(shape) along \(axis): \(device) vs cpu")
            expectClose(results[1].1, results[0].1, tolerance: Self.tolerance, "\(name) backward of \(shape) along \(axis): \(device) vs cpu")
        }
    }

    @Test(arguments: TestDevice.all)
    func softmaxOfHugeLogitsStaysFinite(device: TestDevice) throws {
        let x = try Tensor([1e3, -1e3, 999, 0, 3e38, -3e38], shape: [2, 3], on: device.device)
        let first: Double = 1 / (1 + Foundation.exp(-1))
        expectClose(try x.softmax().toArray(), [first, 0, 1 - first, 0, 1, 0], tolerance: 1e-6)
        let logits = try Tensor([1e3, -1e3, 999], shape: [3], on: device.device)
        let shift = Foundation.log(1 + Foundation.exp(-1.0))
        expectClose(try logits.logSoftmax().toArray(), [-shift, -2000 - shift, -1 - shift], tolerance: 1e-6)
    }

    // MARK: checks shared by the tests above

    static func checkReductions(_ op: ReduceOp, on device: any Device) throws {
        for (index, (shape, axis)) in reductionCases.enumerated() {
            for range in ranges {
                let values = cachedRandomValues(Tensor.elementCount(shape), in: range, seed: UInt64(index))
                let (expected, outputShape) = ReductionReference.reduce(op, values, shape: shape, axis: axis)
                let out = try poisonedTensor(outputShape, on: device)
                try device.reduce(op, Tensor(values, shape: shape, on: device), axis: axis, into: out)
                let label = "\(op) of \(shape) along \(axis.map(String.init) ?? "all") in \(range) on \(device.identifier)"
                if op == .argmax {
                    #expect(try out.toArray() == expected.map(Float.init), "\(label)")
                } else {
                    expectClose(try out.toArray(), expected, tolerance: tolerance, label)
                }
            }
        }
    }

    static func checkSoftmax(log: Bool, on device: any Device) throws {
        for (index, (shape, axis)) in softmaxCases.enumerated() {
            for range in [Float(-5)...5, -1e3...1e3] {
                let values = cachedRandomValues(Tensor.elementCount(shape), in: range, seed: UInt64(index))
                let out = try poisonedTensor(shape, on: device)
                try device.softmax(Tensor(values, shape: shape, on: device), axis: axis, log: log, into: out)
                expectClose(
                    try out.toArray(), ReductionReference.softmax(values, shape: shape, axis: axis, log: log),
                    tolerance: tolerance, "\(log ? "logSoftmax" : "softmax") of \(shape) along \(axis) in \(range)")
            }
        }
    }

    static func checkSoftmaxBackward(log: Bool, on device: any Device) throws {
        for (index, (shape, axis)) in softmaxCases.enumerated() {
            let count = Tensor.elementCount(shape)
            let logits = cachedRandomValues(count, in: -5...5, seed: UInt64(index))
            let output = ReductionReference.softmax(logits, shape: shape, axis: axis, log: log).map(Float.init)
            let gradients = cachedRandomValues(count, seed: UInt64(index) + 100)
            let gradInput = try poisonedTensor(shape, on: device)
            try device.softmaxBackward(
                output: Tensor(output, shape: shape, on: device),
                gradOutput: Tensor(gradients, shape: shape, on: device), axis: axis, log: log, into: gradInput)
            expectClose(
                try gradInput.toArray(),
                ReductionReference.softmaxBackward(output, gradients, shape: shape, axis: axis, log: log),
                tolerance: tolerance, "\(log ? "logSoftmax" : "softmax") backward of \(shape) along \(axis)")
        }
    }

    // MARK: convenience API and errors

    @Test(arguments: TestDevice.all)
    func conveniencesDropTheReducedAxis(device: TestDevice) throws {
        let x = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3], on: device.device)
        #expect(try x.sum(axis: 0).toArray() == [5, 7, 9])
        #expect(try x.sum(axis: -1).shape == [2])
        #expect(try x.sum().shape == [])
        #expect(try x.sum().item() == 21)
        #expect(try x.mean().item() == 3.5)
        #expect(try x.max(axis: 1).toArray() == [3, 6])
        #expect(try x.argmax(axis: 0).toArray() == [1, 1, 1])
        let rowSums = try x.softmax(axis: 1).sum(axis: 1).toArray()
        expectClose(rowSums, [1.0, 1.0], tolerance: 1e-6)
        #expect(try x.logSoftmax().shape == [2, 3])
    }

    @Test(arguments: TestDevice.all)
    func badAxesAndOutputsThrowNamingTheOp(device: TestDevice) throws {
        let on = device.device
        let x = try randomTensor([3, 4], seed: 3, on: on)
        #expect(throws: BackendError.invalidArgument(op: "sum", detail: "axis 2 out of range for shape [3, 4]")) {
            try x.sum(axis: 2)
        }
        let error = #expect(throws: BackendError.self) { try on.reduce(.max, x, axis: 0, into: x) }
        #expect(error.map { "\($0)" }?.contains("max") == true)
        #expect(throws: BackendError.self) { try on.softmax(x, axis: -3, log: false, into: x) }
        #expect(throws: BackendError.self) {
            try on.softmaxBackward(output: x, gradOutput: randomTensor([4], seed: 1, on: on), axis: 0, log: true, into: x)
        }
    }
}

/// Reductions and softmax in Double, written independently of the backend.
enum ReductionReference {
    /// `op` over `axis` (all elements when nil) and the output shape.
    static func reduce(_ op: ReduceOp, _ values: [Float], shape: [Int], axis: Int?) -> ([Double], [Int]) {
        let (outer, length, inner, outputShape) = layout(shape, axis)
        guard !values.isEmpty else { return ([], outputShape) }
        var result: [Double] = []
        for o in 0..<outer {
            for i in 0..<inner {
                let row = (0..<length).map { Double(values[(o * length + $0) * inner + i]) }
                switch op {
                case .sum: result.append(row.reduce(0, +))
                case .mean: result.append(row.reduce(0, +) / Double(length))
                case .max: result.append(row.max() ?? -.infinity)
                case .argmax: result.append(Double(row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) } ?? 0))
                }
            }
        }
        return (result, outputShape)
    }

    static func softmax(_ values: [Float], shape: [Int], axis: Int, log: Bool) -> [Double] {
        let (outer, length, inner, _) = layout(shape, axis)
        var result = [Double](repeating: .nan, count: values.count)
        for o in 0..<outer {
            for i in 0..<inner {
                let positions = (0..<length).map { (o * length + $0) * inner + i }
                let maximum = positions.map { Double(values[$0]) }.max() ?? 0
                let total = positions.reduce(0.0) { $0 + Foundation.exp(Double(values[$1]) - maximum) }
                for p in positions {
                    let shifted = Double(values[p]) - maximum
                    result[p] = log ? shifted - Foundation.log(total) : Foundation.exp(shifted) / total
                }
            }
        }
        return result
    }

    static func softmaxBackward(_ output: [Float], _ gradients: [Float], shape: [Int], axis: Int, log: Bool) -> [Double] {
        let (outer, length, inner, _) = layout(shape, axis)
        var result = [Double](repeating: .nan, count: output.count)
        for o in 0..<outer {
            for i in 0..<inner {
                let positions = (0..<length).map { (o * length + $0) * inner + i }
                let dot = positions.reduce(0.0) { $0 + Double(gradients[$1]) * (log ? 1 : Double(output[$1])) }
                for p in positions {
                    let (y, g) = (Double(output[p]), Double(gradients[p]))
                    result[p] = log ? g - Foundation.exp(y) * dot : y * (g - dot)
                }
            }
        }
        return result
    }

    /// `[outer, length, inner]` around `axis` and the shape without it.
    private static func layout(_ shape: [Int], _ axis: Int?) -> (Int, Int, Int, [Int]) {
        guard let axis else { return (1, shape.reduce(1, *), 1, []) }
        let a = axis < 0 ? axis + shape.count : axis
        var remaining = shape
        remaining.remove(at: a)
        return (shape[..<a].reduce(1, *), shape[a], shape[(a + 1)...].reduce(1, *), remaining)
    }
}
