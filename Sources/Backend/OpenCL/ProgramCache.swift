import Foundation

/// Compiled OpenCL program binaries on disk, so a second start does not recompile.
///
/// Lives in `SWIFTTUNE_CACHE_DIR`, else `$XDG_CACHE_HOME/swifttune/kernels`, else
/// `~/.cache/swifttune/kernels`. Entries are keyed by a hash of the source, the build options and
/// the device and driver, and written to a temporary file that is then renamed.
struct ProgramCache: Sendable {
    let folder: URL

    /// A cache in `folder` (tests use a fresh one).
    init(folder: URL) {
        self.folder = folder
    }

    /// The cache in the folder the environment names.
    init() {
        let environment = ProcessInfo.processInfo.environment
        if let override = environment["SWIFTTUNE_CACHE_DIR"], !override.isEmpty {
            folder = URL(fileURLWithPath: override)
        } else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            folder = URL(fileURLWithPath: xdg).appendingPathComponent("swifttune/kernels")
        } else {
            folder = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/swifttune/kernels")
        }
    }

    /// A file name that changes whenever anything that shapes the binary changes.
    static func key(family: String, parts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for byte in part.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            hash ^= 0xff
            hash = hash &* 0x100_0000_01b3
        }
        return "\(family)-\(String(hash, radix: 16)).bin"
    }

    func load(_ key: String) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(key).path),
              !data.isEmpty
        else { return nil }
        return [UInt8](data)
    }

    /// Stores a binary; a cache that cannot be written only costs a recompile next time.
    func store(_ key: String, _ binary: [UInt8]) {
        let manager = FileManager.default
        let target = folder.appendingPathComponent(key)
        let temporary = folder.appendingPathComponent("\(key).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(binary).write(to: temporary)
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
