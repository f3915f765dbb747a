import Backend

/// The ops of one `bench train` step, each timed on its own: the same calls with the same shapes
/// that the model's forward pass, loss, backward pass and Adam update make (`Tape`'s fused
/// forms: GEMM + bias/activation, convolution with its activation, the fused backward kernels).
/// A row reports the op's median milliseconds and its share of the sum over all ops; the sum
/// next to the whole step's time shows what the ops cost together and what the step adds
/// between them. `swifttune bench train --profile` prints these rows after each model's row.
public struct TrainingStepProfile {
    /// One timed op of a step.
    struct Op {
        var name: String
        var size: String
        var run: () throws -> Void
    }

    let model: TrainingStepBenchmark.Model
    let device: any Device
    let ops: [Op]

    init(_ model: TrainingStepBenchmark.Model, on device: any Device) throws {
        self.model = model
        self.device = device
        var builder = Builder(device: device)
        switch model {
        case .mlp: try builder.mlp()
        case .cnn: try builder.cnn()
        }
        ops = builder.ops
    }

    /// One row per op, then one row with the sum of the ops' medians.
    func rows(timing: BenchmarkTiming) throws -> [BenchmarkRow] {
        var times: [(op: Op, milliseconds: Double)] = []
        for op in ops {
            times.append((op, try timing.medianMilliseconds(on: device, op.run)))
        }
        let total = times.reduce(0) { $0 + $1.milliseconds }
        var rows = times.map { op, milliseconds in
            BenchmarkRow(
                benchmark: "train op", size: op.size, path: "\(model.rawValue) \(op.name)", device: device.identifier,
                medianMilliseconds: milliseconds, rate: total > 0 ? 100 * milliseconds / total : 0, unit: "% of ops")
        }
        rows.append(BenchmarkRow(
            benchmark: "train op", size: model.size, path: "\(model.rawValue) sum of ops", device: device.identifier,
            medianMilliseconds: total, rate: 100, unit: "% of ops"))
        return rows
    }

    /// Collects the ops of a model with their tensors.
    private struct Builder {
        let device: any Device
        var ops: [Op] = []
        var seed: UInt64 = 10
        /// The tensors Adam updates: (parameter, gradient, first moment, second moment).
        var parameters: [(Tensor, Tensor, Tensor, Tensor)] = []

        init(device: any Device) {
            self.device = device
        }

        mutating func tensor(_ shape: [Int]) throws -> Tensor {
            seed += 1
            return try Tensor(GemmBenchmark.values(Tensor.elementCount(shape), seed: seed), shape: shape, on: device)
        }

        mutating func add(_ name: String, _ size: String, _ run: @escaping () throws -> Void) {
            ops.append(Op(name: name, size: size, run: run))
        }

        /// A parameter with its gradient and Adam's two moments.
        mutating func parameter(_ shape: [Int]) throws -> (value: Tensor, gradient: Tensor) {
            let value = try tensor(shape)
            let gradient = try tensor(shape)
            let first = try Tensor.zeros(shape, on: device)
            let second = try Tensor.zeros(shape, on: device)
            parameters.append((value, gradient, first, second))
            return (value, gradient)
        }

        /// A dense layer `[batch, inputs] → [batch, outputs]`: its forward GEMM and fused bias +
        /// activation, and backward the fused activation/bias kernel and the GEMMs (the input
        /// gradient only when `inputGradient`).
        mutating func dense(
            _ name: String, batch: Int, inputs: Int, outputs: Int, activation: UnaryOp?, inputGradient: Bool
        ) throws -> (forward: [Op], backward: [Op]) {
            let device = self.device
            let x = try tensor([batch, inputs])
            let (weight, gradWeight) = try parameter([inputs, outputs])
            let (bias, gradBias) = try parameter([outputs])
            let y = try tensor([batch, outputs])
            let gradY = try tensor([batch, outputs])
            let gradX = try tensor([batch, inputs])
            let size = "\(batch)x\(inputs) →\(outputs)"
            var forward = [Op(name: "\(name) forward", size: size) {
                try device.gemm(GemmDescriptor(m: batch, n: outputs, k: inputs), a: x, b: weight, c: y)
                try device.biasActivation(y, bias: bias, activation: activation, into: y)
            }]
            forward[0].name += activation == nil ? " (gemm, bias)" : " (gemm, bias+act)"
            var backward = [Op(name: "\(name) bias/act backward", size: size) {
                try device.biasActivationBackward(
                    activation, output: y, gradOutput: gradY, into: gradY, gradBias: gradBias, accumulate: false)
            }]
            if inputGradient {
                backward.append(Op(name: "\(name) input gradient", size: "gemm \(batch)x\(inputs)x\(outputs) Bᵀ") {
                    try device.gemm(GemmDescriptor(m: batch, n: inputs, k: outputs, transposeB: true), a: gradY, b: weight, c: gradX)
                })
            }
            backward.append(Op(name: "\(name) weight gradient", size: "gemm \(inputs)x\(outputs)x\(batch) Aᵀ") {
                try device.gemm(GemmDescriptor(m: inputs, n: outputs, k: batch, transposeA: true), a: x, b: gradY, c: gradWeight)
            })
            return (forward, backward)
        }

        /// A 3×3 convolution (padding 1) with ReLU over `[batch, channels, side, side]`.
        mutating func conv(
            _ name: String, batch: Int, channels: Int, filters: Int, side: Int, inputGradient: Bool
        ) throws -> (forward: [Op], backward: [Op]) {
            let device = self.device
            let descriptor = Conv2DDescriptor(padding: 1)
            let x = try tensor([batch, channels, side, side])
            let (weight, gradWeight) = try parameter([filters, channels, 3, 3])
            let (bias, gradBias) = try parameter([filters])
            let y = try tensor([batch, filters, side, side])
            let gradY = try tensor([batch, filters, side, side])
            let gradX = try tensor([batch, channels, side, side])
            let size = "\(batch)x\(channels)x\(side)x\(side) →\(filters)"
            let forward = [Op(name: "\(name) forward (relu)", size: size) {
                try device.conv2d(x, weight: weight, bias: bias, activation: .relu, descriptor, into: y)
            }]
            var backward = [Op(name: "\(name) relu backward", size: size) {
                try device.activationBackward(.relu, output: y, gradOutput: gradY, into: gradY)
            }]
            if inputGradient {
                backward.append(Op(name: "\(name) input gradient", size: size) {
                    try device.conv2dBackwardInput(gradOutput: gradY, weight: weight, descriptor, into: gradX)
                })
            }
            backward.append(Op(name: "\(name) weight gradient", size: size) {
                try device.conv2dBackwardWeight(gradOutput: gradY, input: x, descriptor, into: gradWeight, accumulate: false)
            })
            backward.append(Op(name: "\(name) bias gradient", size: size) {
                try device.conv2dBackwardBias(gradOutput: gradY, into: gradBias, accumulate: false)
            })
            return (forward, backward)
        }

        /// Max pooling 2×2 over `[batch, channels, side, side]`, with its indices.
        mutating func pool(_ name: String, batch: Int, channels: Int, side: Int) throws -> (forward: [Op], backward: [Op]) {
            let device = self.device
            let descriptor = Pool2DDescriptor(kernel: 2)
            let x = try tensor([batch, channels, side, side])
            let y = try tensor([batch, channels, side / 2, side / 2])
            let indices = try Tensor(uninitializedShape: y.shape, on: device)
            let gradX = try tensor(x.shape)
            try device.maxPool2d(x, descriptor, into: y, indices: indices)
            let size = "\(batch)x\(channels)x\(side)x\(side) /2"
            return (
                [Op(name: "\(name) forward", size: size) { try device.maxPool2d(x, descriptor, into: y, indices: indices) }],
                [Op(name: "\(name) backward", size: size) {
                    try device.maxPool2dBackward(gradOutput: y, indices: indices, descriptor, into: gradX)
                }])
        }

        /// Softmax cross-entropy over `[batch, 10]` logits, with the gradient.
        mutating func loss(batch: Int) throws -> Op {
            let device = self.device
            let logits = try tensor([batch, 10])
            let labels = try Tensor(TrainingStepBenchmark.Model.labels(batch), shape: [batch], on: device)
            let loss = try Tensor(uninitializedShape: [1], on: device)
            let gradLogits = try tensor([batch, 10])
            return Op(name: "cross-entropy", size: "\(batch)x10") {
                try device.softmaxCrossEntropy(logits: logits, labels: labels, reduction: .mean, into: loss, gradLogits: gradLogits)
            }
        }

        /// Adam over every parameter collected so far.
        mutating func adam() {
            let device = self.device
            let parameters = self.parameters
            var step = 0
            let count = parameters.reduce(0) { $0 + $1.0.count }
            add("adam", "\(parameters.count) tensors, \(count)") {
                step += 1
                for (value, gradient, first, second) in parameters {
                    try device.adamStep(
                        parameter: value, gradient: gradient, firstMoment: first, secondMoment: second, step: step,
                        AdamHyperparameters(learningRate: 1e-3))
                }
            }
        }

        mutating func mlp() throws {
            let batch = TrainingStepBenchmark.Model.mlp.batchSize
            let layers = [
                try dense("dense1", batch: batch, inputs: 784, outputs: 512, activation: .relu, inputGradient: false),
                try dense("dense2", batch: batch, inputs: 512, outputs: 256, activation: .relu, inputGradient: true),
                try dense("dense3", batch: batch, inputs: 256, outputs: 10, activation: nil, inputGradient: true),
            ]
            ops += layers.flatMap(\.forward)
            ops.append(try loss(batch: batch))
            ops += layers.reversed().flatMap(\.backward)
            adam()
        }

        mutating func cnn() throws {
            let batch = TrainingStepBenchmark.Model.cnn.batchSize
            let layers = [
                try conv("conv1", batch: batch, channels: 1, filters: 32, side: 28, inputGradient: false),
                try pool("pool1", batch: batch, channels: 32, side: 28),
                try conv("conv2", batch: batch, channels: 32, filters: 64, side: 14, inputGradient: true),
                try pool("pool2", batch: batch, channels: 64, side: 14),
                try dense("dense1", batch: batch, inputs: 3136, outputs: 128, activation: .relu, inputGradient: true),
                try dense("dense2", batch: batch, inputs: 128, outputs: 10, activation: nil, inputGradient: true),
            ]
            ops += layers.flatMap(\.forward)
            ops.append(try loss(batch: batch))
            ops += layers.reversed().flatMap(\.backward)
            adam()
        }
    }
}
