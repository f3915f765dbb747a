import Backend

/// A device like `device` with a pool, queue and counters of its own, so that tests can count its
/// allocations and launches or change its settings without disturbing tests running in parallel.
public func privateTwin(of device: any Device) throws -> any Device {
    guard let openCL = device as? OpenCLDevice else { return CPUDevice() }
    return try OpenCLDevice.openUnshared(index: openCL.info.index)
}
