import Backend
import Testing
import TestSupport

@Suite struct MatmulTests {
    /// `a · b` of row-major matrices in Double.
    func product(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int) -> [Double] {
        (0..<m * n).map { index in
            let i = index / n, j = index % n
            return (0..<k).reduce(0.0) { $0 + Double(a[i * k + $1]) * Double(b[$1 * n + j]) }
        }
    }

    /// The transpose of a row-major `rows × columns` matrix.
    func transposed(_ x: [Float], rows: Int, columns: Int) -> [Float] {
        (0..<rows * columns).map { index in x[(index % rows) * columns + index / rows] }
    }

    @Test(arguments: TestDevice.all)
    func twoDimensionalWithTransposes(test: TestDevice) throws {
        let m = 5, n = 7, k = 3
        let a = randomValues(m * k, seed: 1), b = randomValues(k * n, seed: 2)
        let expected = product(a, b, m: m, n: n, k: k)
        let plain = try Tensor(a, shape: [m, k], on: test.device).matmul(try Tensor(b, shape: [k, n], on: test.device))
        #expect(plain.shape == [m, n])
        expectClose(try plain.toArray(), expected, tolerance: 1e-5)
        let both = try Tensor(transposed(a, rows: m, columns: k), shape: [k, m], on: test.device).matmul(
            try Tensor(transposed(b, rows: k, columns: n), shape: [n, k], on: test.device), transposeA: true, transposeB: true)
        #expect(both.shape == [m, n])
        expectClose(try both.toArray(), expected, tolerance: 1e-5)
    }

    @Test(arguments: TestDevice.all)
    func batchesAndBroadcasts(test: TestDevice) throws {
        let batch = 3, m = 4, n = 6, k = 5
        let a = randomValues(batch * m * k, seed: 3), b = randomValues(batch * k * n, seed: 4)
        let a3 = try Tensor(a, shape: [batch, m, k], on: test.device)
        let b3 = try Tensor(b, shape: [batch, k, n], on: test.device)
        let a2 = try Tensor(Array(a[0..<(m * k)]), shape: [m, k], on: test.device)
        let b2 = try Tensor(Array(b[0..<(k * n)]), shape: [k, n], on: test.device)
        func expected(sharedA: Bool, sharedB: Bool) -> [Double] {
            (0..<batch).flatMap { i in
                product(
                    Array(a[(sharedA ? 0 : i * m * k)..<((sharedA ? 0 : i * m * k) + m * k)]),
                    Array(b[(sharedB ? 0 : i * k * n)..<((sharedB ? 0 : i * k * n) + k * n)]), m: m, n: n, k: k)
            }
        }
        for (lhs, rhs, sharedA, sharedB) in [(a3, b3, false, false), (a3, b2, false, true), (a2, b3, true, false)] {
            let result = try lhs.matmul(rhs)
            #expect(result.shape == [batch, m, n])
            expectClose(try result.toArray(), expected(sharedA: sharedA, sharedB: sharedB), tolerance: 1e-5, "\(lhs.shape) · \(rhs.shape)")
        }
    }

    @Test(arguments: TestDevice.all)
    func mismatchedShapesThrowNamedErrors(test: TestDevice) throws {
        let device = test.device
        let cases: [(Tensor, Tensor, Bool, String)] = [
            (try randomTensor([2, 3], seed: 5, on: device), try randomTensor([4, 5], seed: 6, on: device), false, "inner dimensions differ"),
            (try randomTensor([2, 3], seed: 7, on: device), try randomTensor([3, 5], seed: 8, on: device), true, "inner dimensions differ"),
            (try randomTensor([6], seed: 9, on: device), try randomTensor([6, 1], seed: 10, on: device), false, "2-D or 3-D"),
            (try randomTensor([2, 3, 4, 5], seed: 11, on: device), try randomTensor([5, 2], seed: 12, on: device), false, "2-D or 3-D"),
            (try randomTensor([2, 3, 4], seed: 13, on: device), try randomTensor([3, 4, 5], seed: 14, on: device), false, "batch sizes differ"),
        ]
        for (lhs, rhs, transposeA, message) in cases {
            do {
                _ = try lhs.matmul(rhs, transposeA: transposeA)
                Issue.record("\(lhs.shape) · \(rhs.shape) should throw")
            } catch let error as BackendError {
                guard case let .shapeMismatch(op, detail) = error else {
                    Issue.record("unexpected error \(error)")
                    continue
                }
                #expect(op == "matmul")
                #expect(detail.contains(message), "\(detail)")
            }
        }
    }

    @Test(.enabled(if: !TestDevice.openCL.isEmpty, "needs an OpenCL device"))
    func operandsOnDifferentDevicesThrow() throws {
        let openCL = try #require(TestDevice.openCL.first).device
        let lhs = try randomTensor([2, 2], seed: 15, on: CPUDevice.shared)
        let rhs = try randomTensor([2, 2], seed: 16, on: openCL)
        #expect(throws: BackendError.deviceMismatch(op: "matmul", expected: "cpu", found: openCL.identifier)) {
            try lhs.matmul(rhs)
        }
    }

    @Test(arguments: TestDevice.all)
    func emptyInnerDimensionGivesZeros(test: TestDevice) throws {
        let result = try Tensor([], shape: [3, 0], on: test.device).matmul(try Tensor([], shape: [0, 2], on: test.device))
        #expect(try result.toArray() == [Float](repeating: 0, count: 6))
    }
}
