import Foundation

/// Finds the OpenCL C sources of `Kernels/`: `SWIFTTUNE_KERNELS` when set, else the resource
/// bundle beside the executable (also inside a GPU kit), else the source checkout.
enum KernelSources {
    static let locator = ResourceLocator(
        environmentVariable: "SWIFTTUNE_KERNELS",
        bundleName: "SwiftTune_Backend.resources",
        subfolder: "Kernels",
        checkoutFolder: ResourceLocator.folder(above: #filePath, levelsUp: 4).appendingPathComponent("Kernels"))

    static func source(of family: String) throws -> String {
        if let url = locator.locate("\(family).cl"), let text = try? String(contentsOf: url, encoding: .utf8) {
            return text
        }
        throw BackendError.kernelSourceMissing(name: family, searched: locator.searchFolders().map(\.path))
    }
}
