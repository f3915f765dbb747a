/// A named int8 array with a shape: a quantized tensor of a safetensors file (dtype `I8`).
public struct NamedInt8Array: Sendable, Equatable {
    public let name: String
    /// Its dimensions (`[]` for a scalar).
    public let shape: [Int]
    /// Its values, row-major.
    public let values: [Int8]

    /// Checks that the values fill the shape.
    public init(name: String, shape: [Int], values: [Int8]) throws {
        guard shape.allSatisfy({ $0 >= 0 }), NamedArray.elementCount(of: shape) == values.count else {
            throw DataError.invalidArgument(op: "NamedInt8Array '\(name)'", detail: "\(values.count) values do not fill shape \(shape)")
        }
        self.name = name
        self.shape = shape
        self.values = values
    }
}
