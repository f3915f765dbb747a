import Foundation

/// Writes files crash-safely: the content goes to a temporary file in the same folder, is
/// flushed to disk, and is then renamed over the destination, so a reader sees the old file or
/// the new one, never a partial one.
enum AtomicFile {
    static func write(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).tmp")
        do {
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw DataError.unwritable(file: url.path, reason: "cannot create \(temporary.lastPathComponent) in its folder")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            do {
                try handle.write(contentsOf: data)
                try handle.synchronize()
            } catch {
                try? handle.close()
                throw error
            }
            try handle.close()
            guard rename(temporary.path, url.path) == 0 else {
                throw DataError.unwritable(file: url.path, reason: String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if let error = error as? DataError { throw error }
            throw DataError.unwritable(file: url.path, reason: error.localizedDescription)
        }
    }
}
