import CZlib

/// Decompresses gzip data with the system's zlib. Concatenated gzip members are joined, as the
/// `gzip` tool does.
enum Gzip {
    /// Whether `bytes` start with the gzip magic number.
    static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// The decompressed content of gzip `bytes`; `file` names the source in errors.
    static func decompress(_ bytes: [UInt8], file: String) throws -> [UInt8] {
        var input = bytes
        var stream = z_stream()
        guard swifttune_inflate_init_auto(&stream) == Z_OK else {
            throw DataError.unreadable(file: file, reason: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        output.reserveCapacity(bytes.count * 4)
        var chunk = [UInt8](repeating: 0, count: 1 << 17)
        try input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { target -> Int32 in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
                switch status {
                case Z_STREAM_END:
                    if stream.avail_in == 0 { return }
                    guard inflateReset(&stream) == Z_OK else {
                        throw DataError.malformed(file: file, line: nil, column: nil, detail: "bad gzip member after byte \(stream.total_in)")
                    }
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw DataError.malformed(file: file, line: nil, column: nil, detail: "gzip data ends early (truncated file)")
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    throw DataError.malformed(file: file, line: nil, column: nil, detail: "corrupt gzip data: \(message)")
                }
            }
        }
        return output
    }
}
