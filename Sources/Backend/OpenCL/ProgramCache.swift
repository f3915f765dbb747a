import Foundation

/// Compiled OpenCL program binaries on disk, so a second start does not recompile.
///
/// Lives in `SWIFTTUNE_CACHE_DIR`, else `$XDG_CACHE_HOME/swifttune/kernels`, else
/// `~/.cache/swifttune/kernels`. Entries are keyed by a hash of the source, the build options and
/// the device and driver, and written to a temporary file that is then renamed. Each file carries
/// its binary's length and checksum (`ProgramCacheEntry`); a file that fails the check is
/// removed with a one-line warning, and the program is compiled from source again.
struct ProgramCache: Sendable {
    let folder: URL
    /// Receives the one-line warnings about damaged files (standard error by default).
    let warn: @Sendable (String) -> Void

    /// A cache in `folder` (tests use a fresh one and may collect the warnings).
    init(folder: URL, warn: @escaping @Sendable (String) -> Void = Self.warnOnStandardError) {
        self.folder = folder
        self.warn = warn
    }

    /// The cache in the folder the environment names.
    init() {
        warn = Self.warnOnStandardError
        let environment = ProcessInfo.processInfo.environment
        if let override = environment["SWIFTTUNE_CACHE_DIR"], !override.isEmpty {
            folder = URL(fileURLWithPath: override)
        } else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            folder = URL(fileURLWithPath: xdg).appendingPathComponent("swifttune/kernels")
        } else {
            folder = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/swifttune/kernels")
        }
    }

    /// A file name that changes whenever anything that shapes the binary, or the file format,
    /// changes (files of an older format are left alone rather than reported as damaged).
    static func key(family: String, parts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in ["\(ProgramCacheEntry.magic)"] + parts {
            for byte in part.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            hash ^= 0xff
            hash = hash &* 0x100_0000_01b3
        }
        return "\(family)-\(String(hash, radix: 16)).bin"
    }

    /// Writes `message` and a newline to standard error.
    @Sendable static func warnOnStandardError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// The binary cached under `key`, or nil when there is none; a damaged file is removed.
    func load(_ key: String) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: path(of: key)), !data.isEmpty else { return nil }
        do {
            return try ProgramCacheEntry.binary(from: [UInt8](data), key: key)
        } catch {
            discard(key, because: "\(error)")
            return nil
        }
    }

    /// Removes the file of `key`, which cannot be used because of `reason`, and says so.
    func discard(_ key: String, because reason: String) {
        try? FileManager.default.removeItem(atPath: path(of: key))
        warn("swifttune: warning: removed kernel cache file \(path(of: key)): \(reason); compiling the kernels again")
    }

    private func path(of key: String) -> String {
        folder.appendingPathComponent(key).path
    }

    /// Stores a binary; a cache that cannot be written only costs a recompile next time.
    func store(_ key: String, _ binary: [UInt8]) {
        let manager = FileManager.default
        let target = folder.appendingPathComponent(key)
        let temporary = folder.appendingPathComponent("\(key).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(ProgramCacheEntry.encode(binary, key: key)).write(to: temporary)
            // rename(2) replaces atomically; FileManager.replaceItemAt fails on Linux when the
            // target does not exist yet, which left the cache empty.
            guard rename(temporary.path, target.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target.path])
            }
        } catch {
            try? manager.removeItem(at: temporary)
        }
    }
}
