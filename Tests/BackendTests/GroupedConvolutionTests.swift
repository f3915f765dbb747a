import Backend
import Parity
import Testing
import TestSupport

@Suite struct GroupedConvolutionTests {
    @Test(arguments: TestDevice.all)
    func matchesTheReference(device: TestDevice) {
        for parityCase in ParityCatalog.groupedConvolution { expectParity(parityCase, on: device.device) }
    }

    @Test(arguments: TestDevice.openCL)
    func agreesWithTheCPU(device: TestDevice) {
        for parityCase in ParityCatalog.groupedConvolution { expectAgreementWithTheCPU(parityCase, on: device.device) }
    }

    @Test(arguments: TestDevice.all)
    func rejectsWeightsThatDoNotMakeTheGroups(device: TestDevice) throws {
        let d = device.device
        let input = try Tensor(repeating: 1, shape: [1, 4, 3, 3], on: d)
        let output = try Tensor(repeating: 0, shape: [1, 3, 3, 3], on: d)
        // Three filters cannot split into two groups; a weight of 4 channels is not C / groups.
        for (weight, groups) in [([3, 2, 1, 1], 2), ([4, 4, 1, 1], 2)] {
            let kernel = try Tensor(repeating: 1, shape: weight, on: d)
            #expect(throws: BackendError.self) { try d.groupedConv2d(input, weight: kernel, bias: nil, groups: groups, Conv2DDescriptor(), into: output) }
        }
    }
}
