@testable import Backend

/// A device like `device` with a pool and programs of its own, so that tests can count its
/// allocations or change its settings without disturbing tests running in parallel.
public func privateTwin(of device: any Device) throws -> any Device {
    guard let openCL = device as? OpenCLDevice else { return CPUDevice() }
    guard let handle = try OpenCLRuntime.handles().first(where: { $0.info.index == openCL.info.index }) else {
        throw BackendError.unknownDevice(requested: openCL.identifier, available: [])
    }
    return try OpenCLDevice(handle: handle)
}
