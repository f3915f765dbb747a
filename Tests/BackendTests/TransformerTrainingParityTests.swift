import Backend
import Parity
import Testing
import TestSupport

/// The transformer of `selftest`'s training cases learns, and each OpenCL device follows the
/// CPU path's losses.
@Suite struct TransformerTrainingParityTests {
    @Test(arguments: TestDevice.all)
    func trainsLikeTheCPU(device: TestDevice) {
        let result = TrainingParity(.transformer).compare(device.device, with: CPUDevice.shared)
        for failure in result.failures { Issue.record("\(result.device) \(failure)") }
    }
}
