import Foundation

/// Finds files that a target ships as SwiftPM resources, without `Bundle.module` (whose accessor
/// traps when the bundle is missing, e.g. for an executable copied elsewhere).
///
/// Folders are searched in this order: the folder named by an environment variable (when set,
/// so a person can always point elsewhere), the resource bundle beside the executable or up to
/// three folders above it (where test runners live), then the folder in the source checkout.
public struct ResourceLocator: Sendable {
    /// The environment variable that names an overriding folder (e.g. `SWIFTTUNE_DATA`).
    public let environmentVariable: String
    /// The bundle's folder name, e.g. `SwiftTune_Training.resources`.
    public let bundleName: String
    /// The path of the resources inside the bundle (`""` for the bundle's root).
    public let subfolder: String
    /// The same resources in the source checkout.
    public let checkoutFolder: URL

    /// A locator for the resources `subfolder` of the bundle `bundleName`.
    public init(environmentVariable: String, bundleName: String, subfolder: String, checkoutFolder: URL) {
        self.environmentVariable = environmentVariable
        self.bundleName = bundleName
        self.subfolder = subfolder
        self.checkoutFolder = checkoutFolder
    }

    /// The folders searched, in order.
    public func searchFolders() -> [URL] {
        var folders: [URL] = []
        if let override = ProcessInfo.processInfo.environment[environmentVariable], !override.isEmpty {
            folders.append(URL(fileURLWithPath: override))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            let bundle = directory.appendingPathComponent(bundleName)
            folders.append(subfolder.isEmpty ? bundle : bundle.appendingPathComponent(subfolder))
            directory = directory.deletingLastPathComponent()
        }
        folders.append(checkoutFolder)
        return folders
    }

    /// The first readable file named `fileName` in the search folders, or nil.
    public func locate(_ fileName: String) -> URL? {
        searchFolders()
            .map { $0.appendingPathComponent(fileName) }
            .first { FileManager.default.isReadableFile(atPath: $0.path) }
    }

    /// The folder `levelsUp` folders above the source file `filePath` (pass `#filePath`).
    public static func folder(above filePath: String, levelsUp: Int) -> URL {
        var url = URL(fileURLWithPath: filePath)
        for _ in 0..<levelsUp { url.deleteLastPathComponent() }
        return url
    }
}
