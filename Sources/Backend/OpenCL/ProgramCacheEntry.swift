/// The on-disk form of one cached program binary: a 32-byte header, then the binary.
///
/// The header holds a magic word, a hash of the entry's key (its file name), the binary's length
/// and a checksum of the binary, all little-endian. A file cut short, written over, copied from
/// another entry or not written by SwiftTune at all fails `binary(from:key:)`, with the reason,
/// before any byte of it reaches the OpenCL driver (some drivers crash on damaged binaries).
enum ProgramCacheEntry {
    /// "SWTKBIN1": SwiftTune kernel binary, format 1.
    static let magic: UInt64 = 0x314E_4942_4B54_5753
    static let headerBytes = 32

    /// Why a cache file cannot be used.
    enum Damage: Error, Equatable, CustomStringConvertible {
        case notSwiftTune
        case truncatedHeader(found: Int)
        case otherKey
        case truncated(expected: UInt64, found: Int)
        case trailingBytes(count: Int)
        case checksumMismatch

        var description: String {
            switch self {
            case .notSwiftTune: return "it is not a SwiftTune kernel binary"
            case let .truncatedHeader(found): return "it is truncated (\(found) bytes, less than its \(headerBytes)-byte header)"
            case .otherKey: return "it holds the binary of another kernel family, device or driver"
            case let .truncated(expected, found): return "it is truncated (its binary has \(found) of \(expected) bytes)"
            case let .trailingBytes(count): return "it has \(count) bytes past the end of its binary"
            case .checksumMismatch: return "its checksum does not match its contents"
            }
        }
    }

    /// The file contents for `binary` under `key`.
    static func encode(_ binary: [UInt8], key: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(headerBytes + binary.count)
        for word in [magic, checksum(Array(key.utf8)), UInt64(binary.count), checksum(binary)] {
            withUnsafeBytes(of: word.littleEndian) { bytes += $0 }
        }
        return bytes + binary
    }

    /// The binary stored in `file` (the contents of the entry for `key`), or why it is damaged.
    static func binary(from file: [UInt8], key: String) throws(Damage) -> [UInt8] {
        guard file.count >= 8, word(file, at: 0) == magic else { throw .notSwiftTune }
        guard file.count >= headerBytes else { throw .truncatedHeader(found: file.count) }
        guard word(file, at: 8) == checksum(Array(key.utf8)) else { throw .otherKey }
        let length = word(file, at: 16)
        let available = file.count - headerBytes
        guard length <= UInt64(available) else { throw .truncated(expected: length, found: available) }
        guard length == UInt64(available) else { throw .trailingBytes(count: available - Int(length)) }
        let binary = Array(file[headerBytes...])
        guard word(file, at: 24) == checksum(binary) else { throw .checksumMismatch }
        return binary
    }

    /// The little-endian 64-bit word at byte `offset` of `bytes` (which holds 8 bytes there).
    private static func word(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
    }

    /// 64-bit FNV-1a of `bytes`.
    static func checksum(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        bytes.withUnsafeBufferPointer { buffer in
            for byte in buffer {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
        }
        return hash
    }
}
