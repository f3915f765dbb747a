import Backend

/// A device as a test argument, named by its selector in test output (`cpu`, `opencl:0`).
public struct TestDevice: Sendable, CustomStringConvertible {
    public let device: any Device
    public var description: String { device.identifier }

    /// The CPU path and every OpenCL device of this machine (PoCL gives one everywhere).
    public static let all: [TestDevice] = DeviceSelector.availableDevices().map(TestDevice.init)
    /// Only the OpenCL devices.
    public static let openCL: [TestDevice] = all.filter { $0.device.kind == .opencl }
    /// The CPU path.
    public static let cpu = TestDevice(device: CPUDevice.shared)
}
