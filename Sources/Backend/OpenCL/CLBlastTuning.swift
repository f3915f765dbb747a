import COpenCL
import Foundation

/// CLBlast parameters for devices whose CLBlast database entry is a poor fit, found with
/// CLBlast's own tuners (`clblast_tuner_xgemm`, `clblast_tuner_xgemm_direct`, Debian package
/// clblast-utils) and applied with `CLBlastOverrideParameters` when a device opens.
///
/// To add a device: run the tuners on it with `-precision 32`, take the best result of each
/// tuner's JSON file, and add an entry with all of the kernel's parameters (CLBlast refuses an
/// incomplete set; `OpenCLDevice.clblastTuningRefusals` shows what it refused).
enum CLBlastTuning {
    /// Single-precision parameters for the devices of one platform and device type.
    struct Entry {
        /// What the parameters were tuned on, for people.
        var tunedOn: String
        /// Text the platform name contains.
        var platform: String
        /// `CPU`, `GPU`, ... as in `OpenCLDeviceInfo.type`.
        var deviceType: String
        /// Parameter values per CLBlast kernel (`Xgemm`, `XgemmDirect`).
        var kernels: [String: KeyValuePairs<String, Int>]

        func matches(_ info: OpenCLDeviceInfo) -> Bool {
            info.platformName.contains(platform) && info.type == deviceType
        }
    }

    static let table: [Entry] = [
        // clblast_tuner_xgemm and clblast_tuner_xgemm_direct (-precision 32 -m 512 -n 512 -k 512;
        // the random-search phase's best of each), CLBlast 1.5.3, PoCL 3.1 on a 2-core AMD EPYC
        // (AVX2). The indirect kernel beat the direct one from 128³ up, so that is the switch.
        // End to end at 1024³ this took CLBlastSgemm from 14 to 40 GFLOP/s; the own kernel
        // (176) stays the default on these devices (OpenCLDevice.defaultGemmPath).
        Entry(
            tunedOn: "PoCL 3.1 pthread-haswell-AMD EPYC, 2 cores",
            platform: "Portable Computing Language", deviceType: "CPU",
            kernels: [
                "Xgemm": [
                    "GEMMK": 0, "KREG": 1, "KWG": 16, "KWI": 2, "MDIMA": 16, "MDIMC": 8, "MWG": 128, "NDIMB": 32,
                    "NDIMC": 16, "NWG": 128, "SA": 0, "SB": 0, "STRM": 1, "STRN": 1, "VWM": 8, "VWN": 4,
                ],
                "XgemmDirect": [
                    "KWID": 8, "MDIMAD": 16, "MDIMCD": 8, "NDIMBD": 16, "NDIMCD": 8, "PADA": 1, "PADB": 1,
                    "VWMD": 2, "VWND": 4, "WGD": 64,
                ],
                "GemmRoutine": ["XGEMM_MIN_INDIRECT_SIZE": 128],
            ]),
    ]

    /// Applies the first matching entry's parameters to `device`. Returns the CLBlast status of
    /// each kernel whose parameters CLBlast refused; those keep CLBlast's defaults, which are
    /// slower but correct.
    static func apply(to device: cl_device_id, info: OpenCLDeviceInfo) -> [String: Int32] {
        guard let entry = table.first(where: { $0.matches(info) }) else { return [:] }
        var refused: [String: Int32] = [:]
        for (kernel, parameters) in entry.kernels {
            let status = override(kernel, parameters, on: device)
            if status != CLBlastSuccess { refused[kernel] = status.rawValue }
        }
        return refused
    }

    private static func override(_ kernel: String, _ parameters: KeyValuePairs<String, Int>, on device: cl_device_id) -> CLBlastStatusCode {
        let names = parameters.map { strdup($0.key) }
        defer { names.forEach { free($0) } }
        var namePointers = names.map { UnsafePointer<CChar>($0) }
        let values = parameters.map(\.value)
        return namePointers.withUnsafeMutableBufferPointer { namesBuffer in
            values.withUnsafeBufferPointer { valuesBuffer in
                CLBlastOverrideParameters(
                    device, kernel, CLBlastPrecisionSingle, names.count, namesBuffer.baseAddress, valuesBuffer.baseAddress)
            }
        }
    }
}
