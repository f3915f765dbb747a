import Backend
import Foundation
import NN
import TestSupport
import Testing
@testable import Training

@Suite struct QuantizedModelFileTests {
    /// An MLP trained for a few epochs on the digits.
    private static func trained(on device: any Device) throws -> Trainer {
        let trainer = try TrainingFixtures.trainer(TrainingFixtures.mlp(hidden: 64, on: device), on: device)
        try trainer.fit(TrainingFixtures.digits.train, options: FitOptions(epochs: 5, batchSize: 64, seed: 3))
        return trainer
    }

    @Test(arguments: Int8Quantization.Granularity.allCases)
    func int8FileRoundTripsWithI8TensorsAndFloatScales(granularity: Int8Quantization.Granularity) throws {
        let folder = try TemporaryFolder()
        let trainer = try Self.trained(on: CPUDevice.shared)
        let quantized = try Int8Quantization.quantize(trainer.model, granularity: granularity)
        let url = folder.url.appendingPathComponent(QuantizedModel.fileName)
        try quantized.write(to: url)
        let bytes = [UInt8](try Data(contentsOf: url))
        let header = String(decoding: bytes[8..<(8 + Int(bytes[0]) + Int(bytes[1]) << 8)], as: UTF8.self)
        #expect(header.contains(#""0.dense.weight":{"dtype":"I8","shape":[64,64]"#))
        #expect(header.contains(#""0.dense.weight.scale":{"dtype":"F32","shape":[\#(granularity == .perChannel ? 64 : 1)]"#))
        let file = try SafeTensors.read(url)
        #expect(file.int8Arrays.map(\.name) == ["0.dense.weight", "2.dense.weight"])
        #expect(file.metadata["format"] == "swifttune-int8")
        let read = try QuantizedModel(file, named: url.path)
        #expect(read.quantized == quantized.quantized)
        #expect(Set(read.kept.map(\.name)) == Set(quantized.kept.map(\.name)))
        // Four times smaller, give or take the scales, biases and header.
        #expect(Double(64 * 64 + 64 * 10) * 4 / Double(bytes.count) > 3)
    }

    @Test func aScaleOfTheWrongLengthIsRefusedWithTheTensorsName() throws {
        let values = try NamedInt8Array(name: "w", shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let scales = try NamedArray(name: "w.scale", shape: [2], values: [1, 1])
        let file = try SafeTensors.decode(SafeTensors.encode([scales], int8Arrays: [values], metadata: ["w.channel_axis": "1"]))
        #expect(throws: TrainingError.self) { try QuantizedModel(file, named: "x.safetensors") }
        do {
            _ = try QuantizedModel(file, named: "x.safetensors")
        } catch {
            #expect("\(error)".contains("'w.scale' holds 2 scales"), "\(error)")
        }
    }

    @Test func int8GemmMatchesADoubleProductWithinTheQuantizationError() {
        let (m, k, n) = (7, 45, 13)
        let a = (0..<(m * k)).map { Float(sin(Double($0) * 0.7)) }
        let q = (0..<(k * n)).map { Int8(truncatingIfNeeded: ($0 * 37) % 255 - 127) }
        let scales = (0..<n).map { 0.01 + Float($0) * 0.001 }
        let c = Int8Gemm.multiply(a, m: m, k: k, q, n: n, scales: scales)
        for row in 0..<m {
            let largest = (0..<k).map { abs(Double(a[row * k + $0])) }.max() ?? 0
            for column in 0..<n {
                let exact = (0..<k).reduce(0.0) { $0 + Double(a[row * k + $1]) * Double(q[$1 * n + column]) * Double(scales[column]) }
                // Each activation is off by at most half a step (largest / 254).
                let bound = (0..<k).reduce(0.0) { $0 + abs(Double(q[$1 * n + column]) * Double(scales[column])) } * largest / 254 + 1e-4
                #expect(abs(Double(c[row * n + column]) - exact) <= bound, "row \(row), column \(column)")
            }
        }
    }

    @Test func aNonFiniteInputMakesItsRowNaNAndLeavesTheOthers() {
        let a: [Float] = [1, .nan, 2, 0, 0, 0, .infinity, 1, 1]
        let c = Int8Gemm.multiply(a, m: 3, k: 3, [1, 2, 3, 4, 5, 6], n: 2, scales: [1])
        #expect(c[0].isNaN && c[1].isNaN && c[4].isNaN && c[5].isNaN)
        #expect(c[2] == 0 && c[3] == 0)
    }

    @Test(arguments: TestDevice.all)
    func int8ModelOnTheDigitsIsAsAccurateAsTheFloatModel(device: TestDevice) throws {
        let trainer = try Self.trained(on: device.device)
        let float = try #require(try trainer.evaluate(TrainingFixtures.digits.test).metrics["accuracy"])
        let quantized = try Int8Quantization.quantize(trainer.model, granularity: .perChannel)
        let model = try TrainingFixtures.mlp(hidden: 64, seed: 99, on: device.device)
        try quantized.load(into: model, named: "<memory>")
        let int8Model = try quantized.int8Model(model)
        let layers = try #require(int8Model as? Sequential).layers
        #expect(layers.filter { $0 is QuantizedDense }.count == 2)
        let int8Trainer = try TrainingFixtures.trainer(int8Model, on: device.device)
        let int8 = try #require(try int8Trainer.evaluate(TrainingFixtures.digits.test).metrics["accuracy"])
        #expect(float > 0.9)
        #expect(abs(int8 - float) < 0.015, "accuracy \(float) float, \(int8) int8 on \(device)")
    }
}
