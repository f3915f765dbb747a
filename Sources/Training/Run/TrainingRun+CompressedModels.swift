import Backend
import Foundation
import NN

extension TrainingRun {
    /// The file the pruned weights are saved to.
    public static let prunedModelFile = "model-pruned.safetensors"

    /// Saves the compressed models the description asks for into the run folder `folder`
    /// (after `write(_:to:)`, which wrote `model.safetensors` and `preprocessing.json`):
    /// `model-int8.safetensors` (quantized from the trained weights) and
    /// `model-pruned.safetensors` (pruned, then fine-tuned for `fine_tune_epochs` with the
    /// pruned weights held at zero, at a tenth of the base learning rate). Each file is loaded
    /// back as `predict` loads it and measured on the test part (else the validation part)
    /// against `model.safetensors` (samples/s: the fastest of 3 to 50 passes); the
    /// measurements go to `compression.json`. The trainer's model is left as it was trained.
    /// Nil when the description asks for no compression.
    public func saveCompressedModels(to folder: URL) throws -> CompressedModelsReport? {
        guard let compression = description.compression, compression.quantization != nil || compression.pruneSparsity != nil else {
            return nil
        }
        let target = data.test ?? data.validation
        let targetName = data.test != nil ? "test" : (data.validation != nil ? "validation" : nil)
        func measure(_ file: String, sparsity: Double? = nil) throws -> SavedModelMeasurement {
            let saved = try SavedRun(folder: folder, weights: file, device: trainer.device)
            let url = folder.appendingPathComponent(file)
            let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            guard let target else {
                return SavedModelMeasurement(file: file, bytes: bytes, loss: nil, metrics: [:], samplesPerSecond: nil, sparsity: sparsity)
            }
            let evaluation = try saved.trainer.evaluate(target)
            // The fastest of 3 to 50 passes, stopping after a quarter of a second in all.
            var fastest = Double.infinity
            var spent = 0.0
            for pass in 0..<50 where pass < 3 || spent < 0.25 {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try saved.trainer.predict(target)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                fastest = min(fastest, seconds)
                spent += seconds
            }
            return SavedModelMeasurement(
                file: file, bytes: bytes, loss: evaluation.loss, metrics: evaluation.metrics,
                samplesPerSecond: fastest > 0 ? Double(target.count) / fastest : nil, sparsity: sparsity)
        }
        let float = try measure("model.safetensors")
        var int8: SavedModelMeasurement?
        if let granularity = compression.quantization {
            try Int8Quantization.quantize(trainer.model, granularity: granularity)
                .write(to: folder.appendingPathComponent(QuantizedModel.fileName))
            int8 = try measure(QuantizedModel.fileName)
        }
        var pruned: SavedModelMeasurement?
        if let sparsity = compression.pruneSparsity {
            let original = try ModelSnapshot(of: trainer.model)
            let learningRate = trainer.optimizer.learningRate
            defer { trainer.optimizer.learningRate = learningRate }
            let report = try MagnitudePruning.prune(trainer.model, sparsity: sparsity, scope: compression.pruneScope)
            if compression.fineTuneEpochs > 0 {
                trainer.optimizer.learningRate = description.training.optimizer.learningRate / 10
                var options = fitOptions
                options.epochs = trainer.epoch + compression.fineTuneEpochs
                try trainer.fit(
                    data.train, validation: data.validation.map { .dataset($0) } ?? .none, options: options,
                    callbacks: [try PruningMask(zerosOf: trainer.model)])
            }
            try ModelWeights.save(trainer.model, to: folder.appendingPathComponent(Self.prunedModelFile))
            try original.restore(into: trainer.model)
            pruned = try measure(Self.prunedModelFile, sparsity: report.achievedSparsity)
        }
        let result = CompressedModelsReport(
            evaluatedOn: targetName, float: float, int8: int8, pruned: pruned, fineTuneEpochs: compression.fineTuneEpochs)
        try result.write(to: folder)
        return result
    }
}
