// Trains a small MLP on SwiftTune's bundled digits on the CPU and prints the final losses.
import Backend
import Foundation
import NN
import Training

/// Trains for five epochs and returns the last epoch's training loss and the test evaluation.
func trainDigits(on device: any Device) throws -> (trainLoss: Double, test: Evaluation) {
    let split = try BundledDataset.digits.load().split(validation: 0, test: 0.2, seed: 1)
    let scaler = try StandardScaler.fit(split.train)
    let model = Sequential([
        try Dense(inputs: 64, outputs: 32, activation: .relu, initializer: .heUniform, seed: 1, on: device),
        try Dense(inputs: 32, outputs: 10, seed: 2, on: device),
    ])
    let trainer = Trainer(
        model: model, loss: .crossEntropy, optimizer: try Optimizer(.adam(), learningRate: 1e-2),
        metrics: [.accuracy], device: device)
    let history = try trainer.fit(try scaler.transform(split.train), options: FitOptions(epochs: 5, batchSize: 64, seed: 1))
    let test = try trainer.evaluate(try scaler.transform(split.test))
    return (history.epochs.last?.trainLoss ?? .nan, test)
}

do {
    let (trainLoss, test) = try trainDigits(on: CPUDevice.shared)
    print("final training loss: \(trainLoss)")
    print("test loss: \(test.loss), test accuracy: \(test.metrics["accuracy"] ?? .nan)")
} catch {
    print("TrainDigits failed: \(error)")
    exit(1)
}
