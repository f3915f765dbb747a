import Foundation

/// The parsed and checked JSON header of a safetensors file: the metadata and, for each tensor,
/// its shape and the byte range of its data, sorted by that range. Every check names the tensor
/// it fails on; sizes are counted without overflow, so no header can make the reader trap.
struct SafeTensorsHeader {
    /// One tensor's place in the data section.
    struct Entry {
        let name: String
        let shape: [Int]
        let dtype: SafeTensorsDType
        let begin: Int
        let end: Int
    }

    static let metadataKey = "__metadata__"

    let metadata: [String: String]
    /// The tensors, by data offset; together they cover the data section exactly.
    let entries: [Entry]

    /// Parses `json` (the header's bytes) for a data section of `dataLength` bytes; `fail`
    /// makes the error for a detail (it names the file).
    init(json: ArraySlice<UInt8>, dataLength: Int, fail: (String) -> DataError) throws {
        guard json.first == UInt8(ascii: "{"),
              let object = try? JSONSerialization.jsonObject(with: Data(json)),
              let header = object as? [String: Any]
        else {
            throw fail("the header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        if let raw = header[Self.metadataKey] {
            guard let strings = raw as? [String: String] else { throw fail("__metadata__ must map strings to strings") }
            metadata = strings
        }
        var entries: [Entry] = []
        for (name, value) in header where name != Self.metadataKey {
            entries.append(try Self.entry(name: name, value: value, fail: fail))
        }
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var covered = 0
        for entry in entries {
            guard entry.begin == covered else {
                throw fail("tensor '\(entry.name)' starts at data byte \(entry.begin), expected \(covered) (a gap or an overlap)")
            }
            guard entry.end <= dataLength else {
                throw fail("tensor '\(entry.name)' ends at data byte \(entry.end), past the end of the data (\(dataLength) bytes)")
            }
            covered = entry.end
        }
        guard covered == dataLength else {
            throw fail("the tensors cover \(covered) data bytes, the file holds \(dataLength)")
        }
        self.metadata = metadata
        self.entries = entries
    }

    /// The checked entry of tensor `name`.
    private static func entry(name: String, value: Any, fail: (String) -> DataError) throws -> Entry {
        guard let fields = value as? [String: Any] else { throw fail("tensor '\(name)' is not a JSON object") }
        guard let dtype = fields["dtype"] as? String else { throw fail("tensor '\(name)' has no dtype") }
        guard let type = SafeTensorsDType(rawValue: dtype) else {
            let known = SafeTensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
            throw fail("tensor '\(name)' has dtype \(dtype); supported: \(known)")
        }
        guard let shape = integers(fields["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
            throw fail("tensor '\(name)' has no valid shape")
        }
        guard let offsets = integers(fields["data_offsets"]), offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1] else {
            throw fail("tensor '\(name)' has no valid data_offsets [begin, end]")
        }
        guard let needed = byteCount(of: shape, elementSize: type.size) else {
            throw fail("tensor '\(name)' has shape \(shape), more bytes than a file can hold")
        }
        guard offsets[1] - offsets[0] == needed else {
            throw fail("tensor '\(name)' of shape \(shape) needs \(needed) bytes, its data_offsets \(offsets) give \(offsets[1] - offsets[0])")
        }
        return Entry(name: name, shape: shape, dtype: type, begin: offsets[0], end: offsets[1])
    }

    /// The bytes of a tensor of `shape` (non-negative sizes) and `elementSize`-byte elements, or
    /// nil when they overflow.
    private static func byteCount(of shape: [Int], elementSize: Int) -> Int? {
        guard let count = NamedArray.elementCount(of: shape) else { return nil }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: elementSize)
        return overflow ? nil : bytes
    }

    /// A JSON array of integers that fit an `Int`, or nil.
    private static func integers(_ value: Any?) -> [Int]? {
        guard let items = value as? [Any] else { return nil }
        var result: [Int] = []
        for item in items {
            guard let integer = integer(item) else { return nil }
            result.append(integer)
        }
        return result
    }

    /// A JSON number that is an integer in `Int`'s range, or nil (fractions, 1e300, 2^64, ...).
    private static func integer(_ item: Any) -> Int? {
        guard let number = item as? NSNumber else { return nil }
        let double = number.doubleValue
        // The range check comes first: converting a number outside it to Int64 is undefined.
        guard double.isFinite, double == double.rounded(), double >= -0x1p63, double < 0x1p63 else { return nil }
        let value = number.int64Value
        guard Double(value) == double else { return nil }
        return Int(value)
    }
}
