import Foundation

/// Finding programs on disk: the running program itself, and commands on a `PATH`.
public enum ExecutableLocation {
    /// The running program's file, symbolic links resolved: `/proc/self/exe` on Linux, else the
    /// path the system gives for the main executable, else the first command-line argument
    /// looked up like a shell would.
    public static func currentExecutable() throws -> String {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        #endif
        if let path = Bundle.main.executablePath, isExecutableFile(path) {
            return URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        }
        return try resolve(
            argument0: CommandLine.arguments.first ?? "", currentDirectory: FileManager.default.currentDirectoryPath,
            searchPath: ProcessInfo.processInfo.environment["PATH"])
    }

    /// The file a program started as `argument0` runs: a name with a `/` is a path (relative to
    /// `currentDirectory`), other names are looked up on `searchPath`.
    static func resolve(argument0: String, currentDirectory: String, searchPath: String?) throws -> String {
        let path: String?
        if argument0.contains("/") {
            path = argument0.hasPrefix("/") ? argument0 : currentDirectory + "/" + argument0
        } else {
            path = find(argument0, searchPath: searchPath)
        }
        guard let path, isExecutableFile(path) else {
            throw TuningError.invalidSettings(
                component: "worker processes", reason: "cannot find the running program's file (started as '\(argument0)')")
        }
        return URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// The first executable file called `name` in the folders of `searchPath` (colon-separated;
    /// an empty entry is the current folder), or nil.
    public static func find(_ name: String, searchPath: String?) -> String? {
        let folders = (searchPath ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: false)
        for folder in folders {
            let candidate = (folder.isEmpty ? "." : String(folder)) + "/" + name
            if isExecutableFile(candidate) { return candidate }
        }
        return nil
    }

    /// Whether `path` is a regular file this process may execute.
    static func isExecutableFile(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue
            && access(path, X_OK) == 0
    }
}
