/// A tensor seen as `[outer, length, inner]` around one axis: the layout every axis op uses.
public struct AxisSplit: Sendable, Equatable {
    public var outer: Int
    public var length: Int
    public var inner: Int

    /// Splits `shape` around `axis` (negative counts from the end); nil means all elements.
    public init(shape: [Int], axis: Int?, op: String) throws {
        guard let axis else {
            self.init(outer: 1, length: Tensor.elementCount(shape), inner: 1)
            return
        }
        let resolved = try Self.resolve(axis: axis, shape: shape, op: op)
        self.init(
            outer: Tensor.elementCount(Array(shape[..<resolved])),
            length: shape[resolved],
            inner: Tensor.elementCount(Array(shape[(resolved + 1)...])))
    }

    public init(outer: Int, length: Int, inner: Int) {
        self.outer = outer
        self.length = length
        self.inner = inner
    }

    /// The axis as an index into `shape` (negative axes count from the end); throws when out of range.
    public static func resolve(axis: Int, shape: [Int], op: String) throws -> Int {
        let resolved = axis < 0 ? axis + shape.count : axis
        guard resolved >= 0, resolved < shape.count else {
            throw BackendError.invalidArgument(op: op, detail: "axis \(axis) out of range for shape \(shape)")
        }
        return resolved
    }
}

/// How two shapes broadcast: the output shape and, after merging dimensions that can be
/// merged, the sizes and element strides of both inputs (stride 0 on a broadcast dimension).
public struct BroadcastPlan: Sendable, Equatable {
    /// The most dimensions a plan keeps after merging (the OpenCL kernels take `int8` vectors).
    public static let maxRank = 8

    /// The NumPy broadcast of the two shapes.
    public var outputShape: [Int]
    /// Merged output sizes, outermost first.
    public var dims: [Int]
    /// Strides into A for each merged dimension.
    public var stridesA: [Int]
    /// Strides into B for each merged dimension.
    public var stridesB: [Int]

    /// Throws when the shapes do not broadcast.
    public init(_ a: [Int], _ b: [Int], op: String) throws {
        let rank = max(a.count, b.count)
        let paddedA = Array(repeating: 1, count: rank - a.count) + a
        let paddedB = Array(repeating: 1, count: rank - b.count) + b
        var out: [Int] = []
        for (x, y) in zip(paddedA, paddedB) {
            guard x == y || x == 1 || y == 1 else {
                throw BackendError.shapeMismatch(op: op, detail: "shapes \(a) and \(b) do not broadcast")
            }
            out.append(x == 1 ? y : x)
        }
        outputShape = out
        // Merge neighbouring dimensions when both inputs either span or broadcast them alike.
        var dims: [Int] = []
        var broadcastA: [Bool] = []
        var broadcastB: [Bool] = []
        for i in 0..<rank where out[i] != 1 {
            let bA = paddedA[i] == 1
            let bB = paddedB[i] == 1
            if let last = dims.indices.last, broadcastA[last] == bA, broadcastB[last] == bB {
                dims[last] *= out[i]
            } else {
                dims.append(out[i])
                broadcastA.append(bA)
                broadcastB.append(bB)
            }
        }
        if dims.isEmpty {
            dims = [1]
            broadcastA = [false]
            broadcastB = [false]
        }
        guard dims.count <= Self.maxRank else {
            throw BackendError.shapeMismatch(
                op: op, detail: "broadcasting \(a) with \(b) needs \(dims.count) dimensions; at most \(Self.maxRank) are supported")
        }
        self.dims = dims
        stridesA = Self.strides(dims, broadcast: broadcastA)
        stridesB = Self.strides(dims, broadcast: broadcastB)
    }

    /// True when neither input is broadcast: the op is a plain elementwise loop.
    public var isElementwise: Bool {
        dims.count == 1 && stridesA[0] == 1 && stridesB[0] == 1
    }

    private static func strides(_ dims: [Int], broadcast: [Bool]) -> [Int] {
        var strides = Array(repeating: 0, count: dims.count)
        var running = 1
        for i in stride(from: dims.count - 1, through: 0, by: -1) {
            strides[i] = broadcast[i] ? 0 : running
            if !broadcast[i] { running *= dims[i] }
        }
        return strides
    }
}
