import Foundation

/// Reads data files, decompressing gzip transparently (recognised by its magic number, not by
/// the file name).
enum DataFile {
    /// The bytes of the file at `url`, decompressed when it is gzip.
    static func read(_ url: URL) throws -> [UInt8] {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: url))
        } catch {
            throw DataError.unreadable(file: url.path, reason: error.localizedDescription)
        }
        return Gzip.isCompressed(bytes) ? try Gzip.decompress(bytes, file: url.path) : bytes
    }
}
