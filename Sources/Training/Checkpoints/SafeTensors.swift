import Foundation

/// The arrays and metadata of a safetensors file.
public struct SafeTensorsFile: Sendable, Equatable {
    /// The arrays of every dtype but `I8`, as Float32, in the order of their data in the file.
    public let arrays: [NamedArray]
    /// The int8 arrays (dtype `I8`, e.g. quantized weights), in the order of their data.
    public var int8Arrays: [NamedInt8Array] = []
    /// The `__metadata__` string map (empty when the file has none).
    public let metadata: [String: String]

    /// The array named `name`.
    public subscript(name: String) -> NamedArray? { arrays.first { $0.name == name } }
}

/// Reads and writes the safetensors format (as PyTorch's `safetensors` package does): an 8-byte little-endian header length, a JSON header mapping each tensor name to
/// `{"dtype":"F32","shape":[...],"data_offsets":[begin,end]}` (offsets into the data section)
/// plus an optional `"__metadata__"` string map, padded with spaces to a multiple of 8 bytes;
/// then the tensors' little-endian data, back to back. Writes Float32 and int8 (`I8`) tensors;
/// reads `I8` tensors as int8 (`int8Arrays`, quantized weights) and the other float, integer and
/// bool types of `SafeTensorsDType` converted to Float32 (`arrays`).
///
/// The writer emits compact JSON: `__metadata__` first (keys sorted), then the tensors in the
/// order given, each with the keys `dtype`, `shape`, `data_offsets`.
public enum SafeTensors {
    /// The largest header accepted, as in the reference implementation.
    static let maximumHeaderBytes = 100_000_000
    private static let metadataKey = SafeTensorsHeader.metadataKey

    /// The bytes of a safetensors file holding `arrays` and `int8Arrays` (unique, non-empty
    /// names; the Float32 ones first) and `metadata`.
    public static func encode(_ arrays: [NamedArray], int8Arrays: [NamedInt8Array] = [], metadata: [String: String] = [:]) throws -> [UInt8] {
        var seen = Set<String>()
        for array in arrays.map(\.name) + int8Arrays.map(\.name) {
            guard !array.isEmpty, array != metadataKey, seen.insert(array).inserted else {
                throw DataError.invalidArgument(
                    op: "SafeTensors.encode", detail: "tensor name '\(array)' is empty, reserved or used twice")
            }
        }
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0] ?? ""))" }
            entries.append("\(jsonString(metadataKey)):{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for array in arrays {
            let end = offset + array.values.count * 4
            let shape = array.shape.map(String.init).joined(separator: ",")
            entries.append("\(jsonString(array.name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        for array in int8Arrays {
            let end = offset + array.values.count
            let shape = array.shape.map(String.init).joined(separator: ",")
            entries.append("\(jsonString(array.name)):{\"dtype\":\"I8\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        header += [UInt8](repeating: UInt8(ascii: " "), count: (8 - header.count % 8) % 8)

        var bytes = [UInt8]()
        bytes.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
        bytes += header
        for array in arrays {
            let words = array.values.map { $0.bitPattern.littleEndian }
            words.withUnsafeBytes { bytes += $0 }
        }
        for array in int8Arrays { bytes += array.values.map { UInt8(bitPattern: $0) } }
        return bytes
    }

    /// Writes `arrays` and `metadata` to `url` crash-safely (temporary file, then rename).
    public static func write(
        _ arrays: [NamedArray], int8Arrays: [NamedInt8Array] = [], metadata: [String: String] = [:], to url: URL
    ) throws {
        try AtomicFile.write(Data(encode(arrays, int8Arrays: int8Arrays, metadata: metadata)), to: url)
    }

    /// Reads the safetensors file at `url`.
    public static func read(_ url: URL) throws -> SafeTensorsFile {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: url))
        } catch {
            throw DataError.unreadable(file: url.path, reason: error.localizedDescription)
        }
        return try decode(bytes, file: url.path)
    }

    /// Parses safetensors `bytes`, checking the header and that the data offsets cover the data
    /// section exactly; `file` names the source in errors.
    public static func decode(_ bytes: [UInt8], file: String = "<memory>") throws -> SafeTensorsFile {
        func fail(_ detail: String) -> DataError {
            DataError.malformed(file: file, line: nil, column: nil, detail: detail)
        }
        guard bytes.count >= 8 else { throw fail("\(bytes.count) bytes is too short for a safetensors file") }
        let headerLength = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard headerLength <= UInt64(min(bytes.count - 8, maximumHeaderBytes)) else {
            throw fail("header length \(headerLength) exceeds the file (\(bytes.count) bytes) or the \(maximumHeaderBytes)-byte limit")
        }
        let dataStart = 8 + Int(headerLength)
        let header = try SafeTensorsHeader(json: bytes[8..<dataStart], dataLength: bytes.count - dataStart, fail: fail)
        let int8Arrays = try header.entries.filter { $0.dtype == .i8 }.map { entry in
            try NamedInt8Array(
                name: entry.name, shape: entry.shape,
                values: bytes[(dataStart + entry.begin)..<(dataStart + entry.end)].map { Int8(bitPattern: $0) })
        }
        let arrays = try header.entries.filter { $0.dtype != .i8 }.map { entry in
            let size = entry.dtype.size
            let count = (entry.end - entry.begin) / size
            var values = [Float](repeating: 0, count: count)
            for index in 0..<count {
                values[index] = entry.dtype.value(bytes, at: dataStart + entry.begin + size * index)
            }
            return try NamedArray(name: entry.name, shape: entry.shape, values: values)
        }
        return SafeTensorsFile(arrays: arrays, int8Arrays: int8Arrays, metadata: header.metadata)
    }

    /// `text` as a JSON string literal (quotes, backslashes and control characters escaped,
    /// everything else as UTF-8).
    static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case let control where control.value < 0x20:
                result += "\\u" + String(repeating: "0", count: 4 - String(control.value, radix: 16).count) + String(control.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
