import Foundation

/// Finds the OpenCL C sources of `Kernels/`: `SWIFTTUNE_KERNELS` when set, else the resource
/// bundle beside the executable (also inside a GPU kit), else the source checkout.
enum KernelSources {
    static func source(of family: String) throws -> String {
        let candidates = searchFolders()
        for folder in candidates {
            let url = folder.appendingPathComponent("\(family).cl")
            if let text = try? String(contentsOf: url, encoding: .utf8) { return text }
        }
        throw BackendError.kernelSourceMissing(name: family, searched: candidates.map(\.path))
    }

    static func searchFolders() -> [URL] {
        var folders: [URL] = []
        if let override = ProcessInfo.processInfo.environment["SWIFTTUNE_KERNELS"], !override.isEmpty {
            folders.append(URL(fileURLWithPath: override))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        // Test runners live a few levels below the build folder that holds the resource bundle.
        for _ in 0..<4 {
            folders.append(directory.appendingPathComponent("SwiftTune_Backend.resources/Kernels"))
            directory = directory.deletingLastPathComponent()
        }
        let checkout = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        folders.append(checkout.appendingPathComponent("Kernels"))
        return folders
    }
}
