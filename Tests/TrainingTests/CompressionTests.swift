import Backend
import NN
import TestSupport
import Testing
import Training

@Suite struct CompressionTests {
    @Test(arguments: TestDevice.all, MagnitudePruning.Scope.allCases)
    func pruningReachesTheTargetSparsityAndKeepsMostAccuracy(device: TestDevice, scope: MagnitudePruning.Scope) throws {
        let trainer = try TrainingFixtures.trainer(TrainingFixtures.mlp(hidden: 64, on: device.device), on: device.device)
        try trainer.fit(TrainingFixtures.digits.train, options: FitOptions(epochs: 5, batchSize: 64, seed: 3))
        let biases = try trainer.model.namedParameters.filter { $0.variable.shape.count == 1 }.map { try $0.variable.value.toArray() }
        let (result, report) = try trainer.evaluatePruning(sparsity: 0.6, scope: scope, on: TrainingFixtures.digits.test, keep: true)
        let prunable = trainer.model.namedParameters.filter { $0.variable.shape.count == 2 }
        let values = try prunable.flatMap { try $0.variable.value.toArray() }
        #expect(report.prunedTensorValues == 64 * 64 + 64 * 10)
        #expect(values.filter { $0 == 0 }.count == Int((0.6 * Double(values.count)).rounded()))
        #expect(abs(report.achievedSparsity - 0.6) < 1e-3)
        if scope == .perTensor {
            for (name, sparsity) in report.tensorSparsity { #expect(abs(sparsity - 0.6) < 2e-3, "\(name)") }
        }
        #expect(try trainer.model.namedParameters.filter { $0.variable.shape.count == 1 }.map { try $0.variable.value.toArray() } == biases)
        #expect(report.sparseBytes < report.denseBytes)
        let before = try #require(result.before.metrics["accuracy"])
        let after = try #require(result.after.metrics["accuracy"])
        #expect(before > 0.94 && after > before - 0.05, "accuracy \(before) → \(after)")
        #expect(result.description.contains("magnitude pruning to 60% sparsity"))
    }

    @Test(arguments: TestDevice.all, Int8Quantization.Granularity.allCases)
    func int8QuantizationIsFourTimesSmallerAndNearlyAsAccurate(device: TestDevice, granularity: Int8Quantization.Granularity) throws {
        let trainer = try TrainingFixtures.trainer(TrainingFixtures.mlp(hidden: 64, on: device.device), on: device.device)
        try trainer.fit(TrainingFixtures.digits.train, options: FitOptions(epochs: 5, batchSize: 64, seed: 3))
        let original = try ModelSnapshot(of: trainer.model)
        let (result, quantized) = try trainer.evaluateQuantization(granularity: granularity, on: TrainingFixtures.digits.test)
        #expect(try ModelSnapshot(of: trainer.model) == original)
        for tensor in quantized.quantized {
            let values = try #require(original.arrays.first { $0.name == tensor.name }).values
            let channels = granularity == .perChannel ? tensor.shape[1] : 1
            #expect(tensor.scales.count == channels)
            let worst = zip(values, tensor.dequantized()).enumerated().map { index, pair in
                abs(pair.0 - pair.1) / tensor.scales[granularity == .perChannel ? index % channels : 0]
            }.max() ?? 0
            #expect(worst <= 0.5001, "\(tensor.name): an error of \(worst) scales")
        }
        #expect(quantized.maximumError(against: original) > 0)
        #expect(Double(result.bytesBefore) / Double(result.bytesAfter) > 3.5)
        let before = try #require(result.before.metrics["accuracy"])
        let after = try #require(result.after.metrics["accuracy"])
        #expect(abs(after - before) < 0.01, "accuracy \(before) → \(after)")
    }
}
