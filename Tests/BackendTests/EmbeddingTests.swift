@testable import Backend
import Parity
import Testing
import TestSupport

/// What the parity cases cannot show about the embedding ops: the gradient kernel this device
/// does not use by default, and bad calls.
@Suite struct EmbeddingTests {
    /// GPUs give each table row an item, CPU devices each column: both add in token order, so
    /// both give the CPU path's sums.
    @Test(arguments: TestDevice.openCL)
    func otherGradientLayoutMatchesTheCPU(_ testDevice: TestDevice) throws {
        let device = try #require(try ConvolutionTests.freshDevice(like: testDevice.device) as? OpenCLDevice)
        device.prefersContiguousWork.toggle()
        let ids: [Float] = [3, 0, 3, 9, -1, 2.5, 1, 3, 5, 0]
        let upstream = randomValues(ids.count * 6, seed: 1)
        let earlier = randomValues(8 * 6, seed: 2)
        for (accumulate, padding) in [(false, nil), (true, 0), (false, 3)] as [(Bool, Int?)] {
            var results: [[Float]] = []
            for target in [device, CPUDevice.shared] as [any Device] {
                let table = try Tensor(earlier, shape: [8, 6], on: target)
                try target.embeddingBackward(
                    gradOutput: Tensor(upstream, shape: [ids.count, 6], on: target), ids: Tensor(ids, shape: [ids.count], on: target),
                    paddingIndex: padding, into: table, accumulate: accumulate)
                results.append(try table.toArray())
            }
            #expect(results[0] == results[1], "accumulate \(accumulate), padding \(String(describing: padding))")
        }
    }

    /// The CPU's gradient split by columns over two threads (columns 0..<32 and 32..<40) gives
    /// the sums of one thread, bit for bit, into zeros and onto a gradient already there.
    @Test(arguments: [false, true])
    func twoThreadsAddAsOne(accumulate: Bool) throws {
        let (tokens, vocabulary, width) = (900, 50, 40)
        func gradient(threads: Int) throws -> [Float] {
            let device = CPUDevice(threads: threads)
            let ids = try Tensor((0..<tokens).map { Float($0 * 7 % vocabulary) }, shape: [tokens], on: device)
            let upstream = try Tensor(randomValues(tokens * width, seed: 3), shape: [tokens, width], on: device)
            let table = try Tensor(randomValues(vocabulary * width, seed: 4), shape: [vocabulary, width], on: device)
            try device.embeddingBackward(gradOutput: upstream, ids: ids, paddingIndex: 0, into: table, accumulate: accumulate)
            return try table.toArray()
        }
        #expect(try gradient(threads: 2) == gradient(threads: 1))
    }

    @Test(arguments: TestDevice.all)
    func badCallsThrow(_ testDevice: TestDevice) throws {
        let device = testDevice.device
        let ids = try Tensor([0, 1], shape: [2], on: device)
        #expect(throws: BackendError.self) {
            try device.embedding(table: Tensor.zeros([4], on: device), ids: ids, into: Tensor.zeros([2, 4], on: device))
        }
        #expect(throws: BackendError.self) {
            try device.embedding(table: Tensor.zeros([4, 3], on: device), ids: ids, into: Tensor.zeros([2, 4], on: device))
        }
        #expect(throws: BackendError.self) {
            try device.lstmCell(
                gates: Tensor.zeros([2, 6], on: device), previous: nil, activated: Tensor.zeros([2, 6], on: device),
                cell: Tensor.zeros([2, 1], on: device), hidden: Tensor.zeros([2, 1], on: device))
        }
        #expect(throws: BackendError.self) {
            try device.lstmCell(
                gates: Tensor.zeros([2, 8], on: device), previous: Tensor.zeros([3, 2], on: device), activated: Tensor.zeros([2, 8], on: device),
                cell: Tensor.zeros([2, 2], on: device), hidden: Tensor.zeros([2, 2], on: device))
        }
    }
}
