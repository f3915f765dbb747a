/// Owns one pooled device buffer and gives it back to the pool when the last tensor using it goes.
final class TensorStorage: @unchecked Sendable {
    let buffer: any DeviceBuffer
    private let pool: BufferPool

    init(buffer: any DeviceBuffer, pool: BufferPool) {
        self.buffer = buffer
        self.pool = pool
    }

    deinit { pool.release(buffer) }
}

/// A contiguous, row-major Float32 array with a shape, living on one device.
///
/// Tensors have reference semantics: ops write into output tensors, and `reshaped(_:)` shares
/// memory. Memory comes from the device's `BufferPool`.
public final class Tensor: @unchecked Sendable {
    /// Sizes of each dimension, outermost first. A scalar has shape `[]`.
    public let shape: [Int]
    /// The device the values live on.
    public let device: any Device
    let storage: TensorStorage

    /// Number of elements (the product of `shape`).
    public var count: Int { Self.elementCount(shape) }
    /// Number of dimensions.
    public var rank: Int { shape.count }
    /// The device buffer (for device implementations).
    public var buffer: any DeviceBuffer { storage.buffer }

    init(shape: [Int], device: any Device, storage: TensorStorage) {
        self.shape = shape
        self.device = device
        self.storage = storage
    }

    /// An uninitialized tensor of `shape` on `device`; its values are whatever the pooled buffer held.
    public convenience init(uninitializedShape shape: [Int], on device: any Device) throws {
        try Self.validate(shape: shape, op: "Tensor")
        let buffer = try device.pool.acquire(count: Self.elementCount(shape))
        self.init(shape: shape, device: device, storage: TensorStorage(buffer: buffer, pool: device.pool))
    }

    /// A tensor holding `values` (row-major) with `shape`, uploaded to `device`.
    public convenience init(_ values: [Float], shape: [Int], on device: any Device) throws {
        guard values.count == Self.elementCount(shape) else {
            throw BackendError.shapeMismatch(
                op: "Tensor", detail: "\(values.count) values do not fill shape \(shape)")
        }
        try self.init(uninitializedShape: shape, on: device)
        try assign(values)
    }

    /// Downloads the values (row-major).
    public func toArray() throws -> [Float] {
        guard count > 0 else { return [] }
        var result = [Float](repeating: 0, count: count)
        try result.withUnsafeMutableBufferPointer { try device.read(buffer, into: $0) }
        return result
    }

    /// Downloads the values at `range` of the row-major order.
    public func toArray(_ range: Range<Int>) throws -> [Float] {
        guard range.lowerBound >= 0, range.upperBound <= count else {
            throw BackendError.shapeMismatch(op: "toArray", detail: "elements \(range) of a tensor of \(count)")
        }
        guard !range.isEmpty else { return [] }
        var result = [Float](repeating: 0, count: range.count)
        try result.withUnsafeMutableBufferPointer { try device.read(buffer, offset: range.lowerBound, into: $0) }
        return result
    }

    /// Overwrites the values in place with `values` (row-major, `count` of them).
    public func assign(_ values: [Float]) throws {
        guard values.count == count else {
            throw BackendError.shapeMismatch(op: "assign", detail: "\(values.count) values for a tensor of shape \(shape)")
        }
        // An empty tensor still holds a one-element buffer (the pool never hands out zero bytes).
        guard !values.isEmpty else { return }
        try values.withUnsafeBufferPointer { try device.write($0, to: buffer) }
    }

    /// Copies `count` values of `source` (same device), from its element `sourceOffset` on, into
    /// this tensor from element `offset` on. Runs in queue order; the host does not wait.
    public func copyElements(_ count: Int, from source: Tensor, at sourceOffset: Int = 0, to offset: Int = 0) throws {
        try device.checkOwnership(source, op: "copyElements")
        try device.copy(source.buffer, offset: sourceOffset, to: buffer, offset: offset, count: count)
    }

    /// The single value of a one-element tensor.
    public func item() throws -> Float {
        guard count == 1 else {
            throw BackendError.shapeMismatch(op: "item", detail: "tensor of shape \(shape) has \(count) elements, not 1")
        }
        return try toArray()[0]
    }

    /// The same memory seen with another shape of the same element count.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        try Self.validate(shape: newShape, op: "reshaped")
        guard Self.elementCount(newShape) == count else {
            throw BackendError.shapeMismatch(op: "reshaped", detail: "cannot view shape \(shape) as \(newShape)")
        }
        return Tensor(shape: newShape, device: device, storage: storage)
    }

    /// A new tensor with the same values on `target` (or a copy on the same device).
    public func copy(to target: (any Device)? = nil) throws -> Tensor {
        let destination = target ?? device
        if destination === device {
            let result = try Tensor(uninitializedShape: shape, on: device)
            try device.copy(buffer, to: result.buffer, count: count)
            return result
        }
        return try Tensor(toArray(), shape: shape, on: destination)
    }

    /// Product of the dimensions.
    public static func elementCount(_ shape: [Int]) -> Int {
        shape.reduce(1, *)
    }

    static func validate(shape: [Int], op: String) throws {
        if let bad = shape.first(where: { $0 < 0 }) {
            throw BackendError.shapeMismatch(op: op, detail: "negative dimension \(bad) in shape \(shape)")
        }
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw BackendError.shapeMismatch(op: op, detail: "shape \(shape) has more elements than an Int can count")
            }
            count = product
        }
    }
}
