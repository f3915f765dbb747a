// Trains a small MLP on SwiftTune's bundled digits on the CPU and prints the final losses.
import Backend
import NN
import Training

let device = CPUDevice.shared
let split = try BundledDataset.digits.load().split(validation: 0, test: 0.2, seed: 1)
let scaler = try StandardScaler.fit(split.train)
let train = try scaler.transform(split.train)
let test = try scaler.transform(split.test)

let model = Sequential([
    try Dense(inputs: 64, outputs: 32, activation: .relu, initializer: .heUniform, seed: 1, on: device),
    try Dense(inputs: 32, outputs: 10, seed: 2, on: device),
])
let trainer = Trainer(
    model: model, loss: .crossEntropy, optimizer: try Optimizer(.adam(), learningRate: 1e-2),
    metrics: [.accuracy], device: device)
let history = try trainer.fit(train, options: FitOptions(epochs: 5, batchSize: 64, seed: 1))
let evaluation = try trainer.evaluate(test)

if let last = history.epochs.last {
    print("epochs: \(last.epoch), final training loss: \(last.trainLoss)")
}
print("test loss: \(evaluation.loss), test accuracy: \(evaluation.metrics["accuracy"] ?? .nan)")
