import Foundation

/// Which device to run on, as written on the command line (`--device`) or in `SWIFTTUNE_DEVICE`.
public enum DeviceSelector: Equatable, Sendable, CustomStringConvertible {
    /// The CPU path (Swift, its GEMM kernels in C).
    case cpu
    /// The first OpenCL device.
    case openCL
    /// The OpenCL device with this index in `swifttune devices`.
    case openCLIndex(Int)
    /// The first OpenCL GPU, else the CPU path.
    case auto

    /// The environment variable that picks the default device.
    public static let environmentVariable = "SWIFTTUNE_DEVICE"

    /// Parses `cpu`, `opencl`, `opencl:N` or `auto`.
    public init(parsing text: String) throws {
        let lowered = text.lowercased().trimmingCharacters(in: .whitespaces)
        switch lowered {
        case "cpu": self = .cpu
        case "opencl", "cl": self = .openCL
        case "auto", "": self = .auto
        default:
            if lowered.hasPrefix("opencl:"), let index = Int(lowered.dropFirst("opencl:".count)), index >= 0 {
                self = .openCLIndex(index)
            } else {
                throw BackendError.invalidArgument(
                    op: "device", detail: "'\(text)' is not a device; use cpu, opencl, opencl:N or auto")
            }
        }
    }

    /// The selector from `SWIFTTUNE_DEVICE`, or `auto` when it is not set.
    public static func fromEnvironment() throws -> DeviceSelector {
        guard let value = ProcessInfo.processInfo.environment[environmentVariable] else { return .auto }
        return try DeviceSelector(parsing: value)
    }

    public var description: String {
        switch self {
        case .cpu: "cpu"
        case .openCL: "opencl"
        case let .openCLIndex(index): "opencl:\(index)"
        case .auto: "auto"
        }
    }

    /// Opens the selected device. `auto` never fails: without an OpenCL GPU it is the CPU.
    /// An explicit OpenCL request that cannot be met throws, listing the devices that exist.
    public func open() throws -> any Device {
        switch self {
        case .cpu:
            return CPUDevice.shared
        case .openCL:
            return try OpenCLDevice.open(index: 0)
        case let .openCLIndex(index):
            return try OpenCLDevice.open(index: index)
        case .auto:
            guard let gpu = (try? OpenCLRuntime.devices())?.first(where: \.isGPU),
                  let device = try? OpenCLDevice.open(index: gpu.index)
            else { return CPUDevice.shared }
            return device
        }
    }

    /// Every device this machine offers: the CPU, then each OpenCL device that opens.
    public static func availableDevices() -> [any Device] {
        let openCL = ((try? OpenCLRuntime.devices()) ?? []).compactMap { try? OpenCLDevice.open(index: $0.index) }
        return [CPUDevice.shared] + openCL
    }
}
