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
        guard shape.allSatisfy({ $0 >= 0 }), Self.elementCount(of: shape) == values.count else {
            throw DataError.invalidArgument(op: "NamedArray '\(name)'", detail: "\(values.count) values do not fill shape \(shape)")
        }
        self.name = name
        self.shape = shape
        self.values = values
    }

    /// The product of `shape`'s sizes (non-negative), or nil when it overflows an `Int`.
    public static func elementCount(of shape: [Int]) -> Int? {
        var count = 1
        for size in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            if overflow { return nil }
            count = product
        }
        return count
    }

    /// The first element that is NaN or infinite, with its index; nil when all are finite.
    public var firstNonFiniteValue: (index: Int, value: Float)? {
        values.firstIndex { !$0.isFinite }.map { ($0, values[$0]) }
    }
}
