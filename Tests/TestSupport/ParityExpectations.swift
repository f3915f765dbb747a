import Backend
import Parity
import Testing

/// Runs `parityCase` on `device` and records one issue per check over the tolerance.
public func expectParity(_ parityCase: ParityCase, on device: any Device, sourceLocation: SourceLocation = #_sourceLocation) {
    record(parityCase.measure(on: device), sourceLocation: sourceLocation)
}

/// Runs `parityCase` on `device` and on the CPU path and records one issue per check where
/// they differ by more than the case's tolerance.
public func expectAgreementWithTheCPU(
    _ parityCase: ParityCase, on device: any Device, sourceLocation: SourceLocation = #_sourceLocation
) {
    record(parityCase.agreement(of: device, with: CPUDevice.shared), sourceLocation: sourceLocation)
}

private func record(_ result: ParityResult, sourceLocation: SourceLocation) {
    for failure in result.failures {
        Issue.record("\(result.device) \(result.op) \(failure)", sourceLocation: sourceLocation)
    }
}
