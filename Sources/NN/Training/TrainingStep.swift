import Backend

/// One training step: forget the gradients, run the forward pass and the loss on a fresh tape,
/// backpropagate, and update the parameters.
///
/// Everything is enqueued on the model's device and nothing is read back, so on an OpenCL
/// device the host never waits inside a step: the caller keeps the returned loss and output on
/// the device and reads them when it needs them. `Trainer`, `swifttune bench train` and the
/// training cases of `selftest` all run this step.
public struct TrainingStep {
    /// The model trained.
    public let model: any LayerContainer
    /// The loss minimized.
    public let loss: Loss
    /// The update rule.
    public let optimizer: Optimizer

    public init(model: any LayerContainer, loss: Loss, optimizer: Optimizer) {
        self.model = model
        self.loss = loss
        self.optimizer = optimizer
    }

    /// What one step leaves on the device.
    public struct Result {
        /// The batch's loss before the update: one element, the mean over the batch.
        public let loss: Tensor
        /// The model's output for the batch before the update.
        public let output: Tensor
    }

    /// Runs step `number` on a batch already on the model's device. The number seeds the tape,
    /// so random layers (dropout) draw anew each step and alike on every device.
    /// `inspectGradients` runs between the backward pass and the update with the parameters that
    /// have gradients (the trainer checks and samples gradient norms there).
    @discardableResult
    public func run(
        inputs: Tensor, targets: Tensor, number: UInt64, inspectGradients: ([Variable]) throws -> Void = { _ in }
    ) throws -> Result {
        let parameters = model.parameters
        for parameter in parameters { parameter.zeroGrad() }
        let tape = Tape(step: number)
        let output = try model.forward(Variable(inputs), tape: tape)
        let lossVariable = try loss(output, targets, tape: tape)
        try tape.backward(lossVariable)
        try inspectGradients(parameters.filter { $0.grad != nil })
        try optimizer.step(parameters)
        return Result(loss: lossVariable.value, output: output.value)
    }
}
