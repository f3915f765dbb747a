/// The element types a safetensors file may hold that SwiftTune reads: `I8` as int8 (quantized
/// weights), the others converted to Float32 (PyTorch's state dicts hold `I64` batch counters,
/// and pretrained weights often come as `F16` or `BF16`). SwiftTune writes `F32` and `I8`.
enum SafeTensorsDType: String, CaseIterable {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
    case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8", u8 = "U8", bool = "BOOL"

    /// Bytes per element.
    var size: Int {
        switch self {
        case .f64, .i64: 8
        case .f32, .i32: 4
        case .f16, .bf16, .i16: 2
        case .i8, .u8, .bool: 1
        }
    }

    /// The element of `bytes` starting at `at` (little-endian), as a Float.
    func value(_ bytes: [UInt8], at: Int) -> Float {
        var word: UInt64 = 0
        for index in (0..<size).reversed() { word = word << 8 | UInt64(bytes[at + index]) }
        switch self {
        case .f64: return Float(Double(bitPattern: word))
        case .f32: return Float(bitPattern: UInt32(truncatingIfNeeded: word))
        case .f16: return Float(Self.halfToFloat(UInt16(truncatingIfNeeded: word)))
        case .bf16: return Float(bitPattern: UInt32(truncatingIfNeeded: word) << 16)
        case .i64: return Float(Int64(bitPattern: word))
        case .i32: return Float(Int32(truncatingIfNeeded: word))
        case .i16: return Float(Int16(truncatingIfNeeded: word))
        case .i8: return Float(Int8(truncatingIfNeeded: word))
        case .u8, .bool: return Float(word)
        }
    }

    /// IEEE half precision bits as a Float (subnormals, infinities and NaN included).
    private static func halfToFloat(_ bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int(bits >> 10 & 0x1F)
        let fraction = Float(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
