/// A named Float32 array with a shape: one tensor of a checkpoint, on the host.
public struct NamedArray: Sendable, Equatable {
    /// The tensor's name, e.g. `dense1.weight`.
    public let name: String
    /// Its dimensions (`[]` for a scalar).
    public let shape: [Int]
    /// Its values, row-major.
    public let values: [Float]

    /// Checks that the values fill the shape.
    public init(name: String, shape: [Int], values: [Float]) throws {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
            throw DataError.invalidArgument(op: "NamedArray '\(name)'", detail: "\(values.count) values do not fill shape \(shape)")
        }
        self.name = name
        self.shape = shape
        self.values = values
    }
}
