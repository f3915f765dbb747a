import Foundation

/// An array read from an IDX file (the format of MNIST and Fashion-MNIST).
public struct IDXArray: Sendable, Equatable {
    /// The dimensions, outermost first.
    public let shape: [Int]
    /// The values, row-major, converted to Float.
    public let values: [Float]
}

/// Reads IDX files: two zero bytes, an element type code, the number of dimensions, each
/// dimension as a big-endian UInt32, then the big-endian data. Gzip-compressed files are read
/// as well.
public enum IDXFile {
    /// Reads the IDX file at `url` (gzip or not).
    public static func read(_ url: URL) throws -> IDXArray {
        try parse(DataFile.read(url), file: url.path)
    }

    /// Parses IDX `bytes`; `file` names them in errors.
    public static func parse(_ bytes: [UInt8], file: String) throws -> IDXArray {
        func fail(_ detail: String) -> DataError {
            DataError.malformed(file: file, line: nil, column: nil, detail: detail)
        }
        guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0 else {
            throw fail("not an IDX file (it must start with two zero bytes)")
        }
        guard let type = ElementType(rawValue: bytes[2]) else {
            throw fail("unknown IDX element type 0x\(String(bytes[2], radix: 16))")
        }
        let rank = Int(bytes[3])
        let dataStart = 4 + 4 * rank
        guard bytes.count >= dataStart else {
            throw fail("the header announces \(rank) dimensions but the file has only \(bytes.count) bytes")
        }
        let shape = bytes.withUnsafeBufferPointer { header in
            (0..<rank).map { Int(bigEndianUInt(header, at: 4 + 4 * $0, width: 4)) }
        }
        let count = shape.reduce(1, *)
        let expected = dataStart + count * type.width
        guard bytes.count == expected else {
            throw fail("shape \(shape) of \(type) needs \(expected) bytes, the file has \(bytes.count)")
        }
        let values = [Float](unsafeUninitializedCapacity: count) { target, initialized in
            bytes.withUnsafeBufferPointer { source in
                if type == .uint8 {
                    for index in 0..<count { target[index] = Float(source[dataStart + index]) }
                } else {
                    for index in 0..<count { target[index] = type.value(source, at: dataStart + index * type.width) }
                }
            }
            initialized = count
        }
        return IDXArray(shape: shape, values: values)
    }

    /// The element types IDX defines.
    enum ElementType: UInt8, CustomStringConvertible {
        case uint8 = 0x08, int8 = 0x09, int16 = 0x0B, int32 = 0x0C, float32 = 0x0D, float64 = 0x0E

        var width: Int {
            switch self {
            case .uint8, .int8: return 1
            case .int16: return 2
            case .int32, .float32: return 4
            case .float64: return 8
            }
        }

        var description: String {
            switch self {
            case .uint8: return "unsigned bytes"
            case .int8: return "signed bytes"
            case .int16: return "16-bit integers"
            case .int32: return "32-bit integers"
            case .float32: return "32-bit floats"
            case .float64: return "64-bit floats"
            }
        }

        func value(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Float {
            let raw = bigEndianUInt(bytes, at: offset, width: width)
            switch self {
            case .uint8: return Float(UInt8(raw))
            case .int8: return Float(Int8(bitPattern: UInt8(raw)))
            case .int16: return Float(Int16(bitPattern: UInt16(raw)))
            case .int32: return Float(Int32(bitPattern: UInt32(raw)))
            case .float32: return Float(bitPattern: UInt32(raw))
            case .float64: return Float(Double(bitPattern: raw))
            }
        }
    }
}

/// The unsigned big-endian integer of `width` bytes at `offset`.
private func bigEndianUInt(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, width: Int) -> UInt64 {
    var value: UInt64 = 0
    for index in offset..<(offset + width) { value = value << 8 | UInt64(bytes[index]) }
    return value
}
