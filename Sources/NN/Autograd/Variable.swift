import Backend

/// A tensor in an autograd graph: its value, and after `Tape.backward` its gradient.
///
/// Parameters of a model are variables with `requiresGrad == true` that outlive each step;
/// their gradients accumulate across backward passes until `zeroGrad()`.
public final class Variable: @unchecked Sendable {
    /// The current value.
    public var value: Tensor
    /// The gradient of the last backward pass (accumulated), or nil before any.
    public internal(set) var grad: Tensor?
    /// Whether gradients flow into this variable. A frozen parameter sets this to false.
    public var requiresGrad: Bool
    /// A name for summaries and checkpoints (e.g. `dense1.weight`).
    public var name: String

    /// Wraps `value`; a parameter passes `requiresGrad: true`.
    public init(_ value: Tensor, requiresGrad: Bool = false, name: String = "") {
        self.value = value
        self.requiresGrad = requiresGrad
        self.name = name
    }

    /// The value's shape.
    public var shape: [Int] { value.shape }
    /// The device the value lives on.
    public var device: any Device { value.device }

    /// Forgets the gradient (before the next accumulation).
    public func zeroGrad() { grad = nil }

    /// Adds `gradient` into `grad`. `owned` says the caller hands over a tensor nobody else
    /// holds, so it can become `grad` without a copy.
    func accumulate(_ gradient: Tensor, owned: Bool) throws {
        guard requiresGrad else { return }
        guard gradient.shape == value.shape || gradient.count == value.count else {
            throw BackendError.shapeMismatch(
                op: "backward", detail: "gradient of shape \(gradient.shape) for '\(name)' of shape \(value.shape)")
        }
        if let grad {
            try grad.device.binary(.add, grad, gradient.reshaped(grad.shape), into: grad)
        } else {
            grad = owned ? try gradient.reshaped(value.shape) : try gradient.copy().reshaped(value.shape)
        }
    }
}
