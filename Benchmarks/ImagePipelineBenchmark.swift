import Backend
import Foundation
import NN
import Training

/// The input pipeline of image files against the training step it feeds, in images (samples)
/// per second:
///
/// - `decode all`: reading and decoding every file once on all cores (what loading does);
/// - `batches cached`, `batches cached + augment`: one epoch of batches as `Trainer.fit` gets
///   them from the loader's prefetch thread, from the decoded-image cache, without and with
///   augmentation (shift 1, flip 0.5, rotation 10°, contrast 0.2, erasing 0.25);
/// - `batches lazy`: the same with no cache, so every batch decodes its files again;
/// - `train step` on each device: a small CNN (conv 3×3 →16, pool, conv 3×3 →32, pool, dense)
///   on one batch of the same shape, already on the device.
///
/// The pipeline keeps up when its rate is above the step's.
public struct ImagePipelineBenchmark: Sendable {
    public var list: ImageFileList
    public var settings: ImageSettings
    public var batchSize: Int
    public var timing: BenchmarkTiming

    public init(list: ImageFileList, settings: ImageSettings, batchSize: Int = 64, timing: BenchmarkTiming = BenchmarkTiming()) {
        self.list = list
        self.settings = settings
        self.batchSize = batchSize
        self.timing = timing
    }

    /// The augmentation of the `+ augment` row.
    static let augmentation = ImageAugmentation(
        maxShift: 1, horizontalFlipProbability: 0.5, contrast: 0.2, rotation: 10, erasing: .init(probability: 0.25))

    /// Every row, handed to `report` as soon as it is measured.
    public func run(on devices: [any Device], report: (BenchmarkRow) -> Void) throws {
        let size = "\(list.files.count) files \(settings.featureShape.map(String.init).joined(separator: "x")) b\(batchSize)"
        let host = CPUDevice.shared
        func row(_ path: String, device: String, milliseconds: Double, samples: Int, unit: String = "images/s") -> BenchmarkRow {
            BenchmarkRow(
                benchmark: "images", size: size, path: path, device: device, medianMilliseconds: milliseconds,
                rate: Double(samples) / (milliseconds / 1000), unit: unit)
        }
        var cached: Dataset?
        let decode = try timing.medianMilliseconds(on: host) {
            cached = try ImageSamples.load(list, settings: settings, skipBadFiles: true, cacheLimit: Int.max)
        }
        report(row("decode all (\(ProcessInfo.processInfo.activeProcessorCount) cores)", device: "host", milliseconds: decode, samples: list.files.count))
        guard let cached else { return }
        let lazy = try ImageSamples.load(list, settings: settings, skipBadFiles: true, cacheLimit: 0)
        let passes: [(String, Dataset, ImageAugmentation?)] = [
            ("batches cached", cached, nil), ("batches cached + augment", cached, Self.augmentation), ("batches lazy", lazy, nil),
        ]
        for (path, data, augmentation) in passes {
            let loader = try DataLoader(data, batchSize: batchSize, on: host, seed: 1, augmentation: augmentation)
            let milliseconds = try timing.medianMilliseconds(on: host) {
                let prefetcher = BatchPrefetcher(loader, batches: loader.batchIndices(epoch: 1), epoch: 1)
                while try prefetcher.next() != nil {}
            }
            report(row(path, device: "host", milliseconds: milliseconds, samples: data.count))
        }
        for device in devices {
            let step = try ConvolutionStep(settings: settings, classes: max(list.classNames.count, 2), batchSize: batchSize, on: device)
            let milliseconds = try timing.medianMilliseconds(on: device) { try step.run() }
            report(row("train step cnn", device: device.identifier, milliseconds: milliseconds, samples: batchSize, unit: "samples/s"))
        }
    }

    /// A small CNN's training step on one fixed batch.
    private final class ConvolutionStep {
        let step: TrainingStep
        let inputs: Tensor
        let labels: Tensor
        private var number: UInt64 = 0

        init(settings: ImageSettings, classes: Int, batchSize: Int, on device: any Device) throws {
            let pooled = (settings.height / 4) * (settings.width / 4)
            let model = Sequential([
                try Conv2D(inputChannels: settings.channels, outputChannels: 16, kernel: 3, padding: 1, activation: .relu,
                           initializer: .heUniform, seed: 1, on: device),
                MaxPool2D(kernel: 2),
                try Conv2D(inputChannels: 16, outputChannels: 32, kernel: 3, padding: 1, activation: .relu,
                           initializer: .heUniform, seed: 2, on: device),
                MaxPool2D(kernel: 2),
                Flatten(),
                try Dense(inputs: 32 * max(pooled, 1), outputs: classes, seed: 3, on: device),
            ])
            step = TrainingStep(model: model, loss: .crossEntropy, optimizer: try Optimizer(.adam(), learningRate: 1e-3))
            let shape = [batchSize] + settings.featureShape
            inputs = try Tensor(GemmBenchmark.values(Tensor.elementCount(shape), seed: 5), shape: shape, on: device)
            labels = try Tensor((0..<batchSize).map { Float($0 % classes) }, shape: [batchSize], on: device)
        }

        func run() throws {
            try step.run(inputs: inputs, targets: labels, number: number)
            number += 1
        }
    }
}
