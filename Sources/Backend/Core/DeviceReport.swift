import Foundation

/// What `swifttune devices` prints: the CPU path and every OpenCL device, or why OpenCL is missing.
public struct DeviceReport: Sendable {
    public var cpu: CPUInfo
    public var openCL: [OpenCLDeviceInfo]
    /// Set when OpenCL could not be enumerated (no runtime, no platform).
    public var openCLProblem: String?

    /// Enumerates the devices of this machine.
    public static func collect() -> DeviceReport {
        do {
            return DeviceReport(cpu: .current, openCL: try OpenCLRuntime.devices(), openCLProblem: nil)
        } catch {
            return DeviceReport(cpu: .current, openCL: [], openCLProblem: "\(error)")
        }
    }

    /// A table for people.
    public func text() -> String {
        var lines = [
            "cpu          \(cpu.modelName)",
            "             \(cpu.cores) cores, \(cpu.simd) (\(cpu.simdFloatLanes) Float32 lanes)",
        ]
        if let openCLProblem {
            lines.append("OpenCL: \(openCLProblem); the CPU path still works.")
        }
        var platform = ""
        for device in openCL {
            if device.platformName != platform {
                platform = device.platformName
                lines.append("platform     \(device.platformName) — \(device.platformVersion)")
            }
            let byteFormat = ByteCount.format
            lines.append("opencl:\(device.index)".padding(toLength: 13, withPad: " ", startingAt: 0) + "\(device.name) [\(device.type)]")
            lines.append("             vendor \(device.vendor), driver \(device.driverVersion), \(device.openCLCVersion)")
            lines.append("             \(device.computeUnits) compute units, \(byteFormat(device.globalMemoryBytes)) global memory, "
                + "\(byteFormat(device.localMemoryBytes)) local, max work-group \(device.maxWorkGroupSize)")
            lines.append("             fp16 \(device.supportsFP16 ? "yes" : "no"), fp64 \(device.supportsFP64 ? "yes" : "no")")
        }
        return lines.joined(separator: "\n")
    }

    /// One JSON object per line: the CPU first, then each OpenCL device.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var lines: [String] = []
        let cpuObject: [String: String] = [
            "device": "cpu", "name": cpu.modelName, "cores": "\(cpu.cores)", "simd": cpu.simd,
        ]
        if let data = try? encoder.encode(cpuObject) { lines.append(String(decoding: data, as: UTF8.self)) }
        for device in openCL {
            if let data = try? encoder.encode(device) { lines.append(String(decoding: data, as: UTF8.self)) }
        }
        if let openCLProblem, let data = try? encoder.encode(["openclProblem": openCLProblem]) {
            lines.append(String(decoding: data, as: UTF8.self))
        }
        return lines.joined(separator: "\n")
    }
}
