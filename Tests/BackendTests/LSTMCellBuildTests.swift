@testable import Backend
import Testing
import TestSupport

/// The LSTM cell's plain C build (CPUs without AVX2) against its AVX2 build: the same results
/// but for the rounding of fused multiply-adds, on 13 units (a whole vector and a partial one).
@Suite(.enabled(if: CPUInfo.current.hasAVX2AndFMA, "the AVX2 build needs AVX2 and FMA"))
struct LSTMCellBuildTests {
    @Test func plainBuildMatchesTheAVX2Build() throws {
        let device = CPUDevice(threads: 2)
        let (batch, hidden) = (5, 13)
        func random(_ shape: [Int], _ seed: UInt64, scale: Float = 3) throws -> Tensor {
            try Tensor(randomValues(shape.reduce(1, *), seed: seed).map { $0 * scale }, shape: shape, on: device)
        }
        let gates = try random([batch, 4 * hidden], 1), previous = try random([batch, hidden], 2)
        let gradHidden = try random([batch, hidden], 3), gradCell = try random([batch, hidden], 4)
        func run(avx2: Bool) throws -> [[Float]] {
            try CPUDevice.$lstmCellAVX2Override.withValue(avx2) {
                let activated = try Tensor.zeros([batch, 4 * hidden], on: device)
                let (cell, output) = (try Tensor.zeros([batch, hidden], on: device), try Tensor.zeros([batch, hidden], on: device))
                try device.lstmCell(gates: gates, previous: previous, activated: activated, cell: cell, hidden: output)
                let gradGates = try Tensor.zeros([batch, 4 * hidden], on: device)
                let gradPrevious = try Tensor.zeros([batch, hidden], on: device)
                try device.lstmCellBackward(
                    activated: activated, previous: previous, cell: cell, gradHidden: gradHidden, gradCell: gradCell, into: gradGates,
                    gradPrevious: gradPrevious)
                return try [activated, cell, output, gradGates, gradPrevious].map { try $0.toArray() }
            }
        }
        let (plain, avx2) = (try run(avx2: false), try run(avx2: true))
        for (index, name) in ["activated", "cell", "hidden", "gradGates", "gradPrevious"].enumerated() {
            expectClose(plain[index], avx2[index], tolerance: 1e-6, name)
            let finite = plain[index].allSatisfy { $0.isFinite }
            #expect(finite, "\(name) of the plain build")
        }
    }
}
