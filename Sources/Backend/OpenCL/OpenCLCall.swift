import COpenCL
import Foundation

/// Throws `BackendError.openCL` naming `call` when an OpenCL status is not `CL_SUCCESS`.
@inline(__always)
func checkCL(_ status: cl_int, _ call: String) throws {
    if status != CL_SUCCESS { throw BackendError.openCL(call: call, code: status) }
}

/// Reads a string-valued device property.
func deviceString(_ device: cl_device_id, _ param: cl_device_info) throws -> String {
    var size = 0
    try checkCL(clGetDeviceInfo(device, param, 0, nil, &size), "clGetDeviceInfo")
    var bytes = [CChar](repeating: 0, count: size + 1)
    try checkCL(clGetDeviceInfo(device, param, size, &bytes, nil), "clGetDeviceInfo")
    return trimmedString(bytes)
}

/// Reads a fixed-size device property (an integer, a bitfield).
func deviceValue<T: FixedWidthInteger>(_ device: cl_device_id, _ param: cl_device_info, as _: T.Type) throws -> T {
    var value: T = 0
    try checkCL(clGetDeviceInfo(device, param, MemoryLayout<T>.size, &value, nil), "clGetDeviceInfo")
    return value
}

/// Reads a string-valued platform property.
func platformString(_ platform: cl_platform_id, _ param: cl_platform_info) throws -> String {
    var size = 0
    try checkCL(clGetPlatformInfo(platform, param, 0, nil, &size), "clGetPlatformInfo")
    var bytes = [CChar](repeating: 0, count: size + 1)
    try checkCL(clGetPlatformInfo(platform, param, size, &bytes, nil), "clGetPlatformInfo")
    return trimmedString(bytes)
}

func trimmedString(_ bytes: [CChar]) -> String {
    let utf8 = bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: utf8, as: UTF8.self).trimmingCharacters(in: .whitespaces)
}
