import COpenCL
import Foundation

/// CLBlast parameters for devices CLBlast's built-in database does not tune, found with
/// CLBlast's own tuners and applied with `CLBlastOverrideParameters` when a device opens.
enum CLBlastTuning {
    /// Tuned parameters for the devices `matches` accepts.
    struct Entry {
        /// What the entry was tuned on, for people.
        var tunedOn: String
        var matches: @Sendable (OpenCLDeviceInfo) -> Bool
        /// Parameter values per CLBlast kernel name (`Xgemm`, `XgemmDirect`, ...).
        var kernels: [String: KeyValuePairs<String, Int>]
    }

    static let table: [Entry] = []

    /// Applies the first matching entry's parameters to `device` (single precision).
    /// Returns the CLBlast status of every kernel whose override CLBlast refused; CLBlast then
    /// keeps its defaults for that kernel, which are slower but correct.
    static func apply(to device: cl_device_id, info: OpenCLDeviceInfo) -> [String: Int32] {
        guard let entry = table.first(where: { $0.matches(info) }) else { return [:] }
        var refused: [String: Int32] = [:]
        for (kernel, parameters) in entry.kernels {
            let names = parameters.map(\.key)
            let values = parameters.map { $0.value }
            let status = withCStrings(names) { namePointers in
                values.withUnsafeBufferPointer { valuePointer in
                    CLBlastOverrideParameters(device, kernel, CLBlastPrecisionSingle, names.count, namePointers, valuePointer.baseAddress)
                }
            }
            if status != CLBlastSuccess { refused[kernel] = status.rawValue }
        }
        return refused
    }

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        var pointers = copies.map { UnsafePointer<CChar>($0) }
        return pointers.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }
}
