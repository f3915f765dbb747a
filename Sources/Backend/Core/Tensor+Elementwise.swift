/// Elementwise ops that allocate their output on the tensor's device.
extension Tensor {
    /// A tensor of `shape` on `device` with every element set to `value`.
    public convenience init(repeating value: Float, shape: [Int], on device: any Device) throws {
        try self.init(uninitializedShape: shape, on: device)
        try device.fill(self, value: value)
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int], on device: any Device) throws -> Tensor {
        try Tensor(repeating: 0, shape: shape, on: device)
    }

    /// `op` applied to every element.
    public func applying(_ op: UnaryOp) throws -> Tensor {
        let result = try Tensor(uninitializedShape: shape, on: device)
        try device.unary(op, self, into: result)
        return result
    }

    /// `max(x, 0)`.
    public func relu() throws -> Tensor { try applying(.relu) }
    /// `1 / (1 + e^-x)`.
    public func sigmoid() throws -> Tensor { try applying(.sigmoid) }

    /// `op(self, other)` with NumPy broadcasting.
    public func combined(with other: Tensor, _ op: BinaryOp) throws -> Tensor {
        let plan = try BroadcastPlan(shape, other.shape, op: op.description)
        let result = try Tensor(uninitializedShape: plan.outputShape, on: device)
        try device.binary(op, self, other, into: result)
        return result
    }

    /// `op(self, scalar)`, or `op(scalar, self)` when `scalarFirst`.
    public func combined(with scalar: Float, _ op: BinaryOp, scalarFirst: Bool = false) throws -> Tensor {
        let result = try Tensor(uninitializedShape: shape, on: device)
        try device.binaryScalar(op, self, scalar: scalar, scalarFirst: scalarFirst, into: result)
        return result
    }

    /// `activation(self + bias)`, with `bias` added along the last dimension.
    public func addingBias(_ bias: Tensor, activation: UnaryOp? = nil) throws -> Tensor {
        let result = try Tensor(uninitializedShape: shape, on: device)
        try device.biasActivation(self, bias: bias, activation: activation, into: result)
        return result
    }

    /// The elementwise sum with broadcasting.
    public static func + (a: Tensor, b: Tensor) throws -> Tensor { try a.combined(with: b, .add) }
    /// The elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) throws -> Tensor { try a.combined(with: b, .sub) }
    /// The elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) throws -> Tensor { try a.combined(with: b, .mul) }
    /// The elementwise quotient with broadcasting.
    public static func / (a: Tensor, b: Tensor) throws -> Tensor { try a.combined(with: b, .div) }
    /// The elementwise sum with a scalar.
    public static func + (a: Tensor, b: Float) throws -> Tensor { try a.combined(with: b, .add) }
    /// The elementwise difference with a scalar.
    public static func - (a: Tensor, b: Float) throws -> Tensor { try a.combined(with: b, .sub) }
    /// The elementwise product with a scalar.
    public static func * (a: Tensor, b: Float) throws -> Tensor { try a.combined(with: b, .mul) }
    /// The elementwise quotient with a scalar.
    public static func / (a: Tensor, b: Float) throws -> Tensor { try a.combined(with: b, .div) }
    /// The elementwise sum of a scalar and a tensor.
    public static func + (a: Float, b: Tensor) throws -> Tensor { try b.combined(with: a, .add, scalarFirst: true) }
    /// The elementwise difference of a scalar and a tensor.
    public static func - (a: Float, b: Tensor) throws -> Tensor { try b.combined(with: a, .sub, scalarFirst: true) }
    /// The elementwise product of a scalar and a tensor.
    public static func * (a: Float, b: Tensor) throws -> Tensor { try b.combined(with: a, .mul, scalarFirst: true) }
    /// The elementwise quotient of a scalar and a tensor.
    public static func / (a: Float, b: Tensor) throws -> Tensor { try b.combined(with: a, .div, scalarFirst: true) }
    /// The elementwise negation.
    public static prefix func - (x: Tensor) throws -> Tensor { try x.applying(.neg) }
}
