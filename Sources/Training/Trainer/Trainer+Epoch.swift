import Backend
import NN

extension Trainer {
    /// Trains one epoch: one `TrainingStep` per batch (the next batches assembled on another
    /// thread meanwhile), the figures recorded on the device and read back every
    /// `options.progressInterval` seconds and at the end, then validation.
    func runEpoch(
        _ number: Int, plan: FitPlan, loader: DataLoader, validation: Dataset?, options: FitOptions,
        callbacks: [any TrainingCallback]
    ) throws -> EpochRecord {
        let clock = ContinuousClock()
        let start = clock.now
        device.pool.resetPeak()
        let batches = loader.batchIndices(epoch: number)
        let recorder = try PassRecorder(
            batchCount: batches.count, sampleCount: loader.samplesPerEpoch, keepsOutputs: !metrics.isEmpty, on: device)
        let sampler = try gradientNormSampler(batchCount: batches.count, interval: options.gradientSampleInterval)
        var progress = RunningFigures(epoch: number, batchCount: batches.count, countsAccuracy: metrics.contains(.accuracy))
        var targets: [Float] = []
        targets.reserveCapacity(loader.samplesPerEpoch)
        let step = trainingStep
        let prefetcher = BatchPrefetcher(loader, batches: batches, epoch: number)
        var lastRead = start
        while let hostBatch = try prefetcher.next() {
            let batch = try loader.upload(hostBatch)
            let stepNumber = self.step
            let result = try step.run(inputs: batch.inputs, targets: batch.targets, number: UInt64(stepNumber)) { _ in
                if let sampler, stepNumber % options.gradientSampleInterval == 0 {
                    try sampleGradientNorms(into: sampler, epoch: number, step: stepNumber)
                }
            }
            try recorder.record(loss: result.loss, output: result.output, samples: batch.count)
            targets += hostBatch.indices.map { loader.dataset.targets[$0] }
            self.step += 1
            for callback in callbacks { try callback.stepDidEnd(self, epoch: number, batch: recorder.batchSizes.count) }
            let isLast = recorder.batchSizes.count == batches.count
            guard !isLast, (clock.now - lastRead).seconds >= options.progressInterval else { continue }
            try readBack(recorder, targets: targets, checkWeights: options.checkWeights, into: &progress)
            lastRead = clock.now
            let report = progress.report(
                plan: plan, batch: recorder.batchSizes.count, samplesSeen: recorder.samplesRecorded,
                loss: recorder.meanLoss, elapsedSeconds: (clock.now - start).seconds)
            for callback in callbacks { try callback.batchDidEnd(self, progress: report) }
        }
        try readBack(recorder, targets: targets, checkWeights: options.checkWeights, into: &progress)
        if let sampler {
            for sample in try sampler.readBack() { gradientNorms.append(sample) }
        }
        let trainingSeconds = (clock.now - start).seconds
        var recordMetrics: [String: Double] = [:]
        if !metrics.isEmpty {
            recordMetrics = computeMetrics(try ModelOutputs(recorder.outputValues, width: recorder.width), targets: targets)
        }
        var validationLoss: Double?
        if let validation {
            let evaluation = try evaluate(validation, batchSize: options.evaluationBatchSize)
            validationLoss = evaluation.loss
            for (name, value) in evaluation.metrics { recordMetrics["val_" + name] = value }
        }
        let seen = recorder.samplesRecorded
        return EpochRecord(
            epoch: number, trainLoss: recorder.meanLoss, validationLoss: validationLoss, metrics: recordMetrics,
            samplesPerSecond: trainingSeconds > 0 ? Double(seen) / trainingSeconds : 0,
            peakDeviceMemoryBytes: device.pool.statistics.peakBytesInUse,
            learningRate: Double(optimizer.learningRate), wallTimeSeconds: (clock.now - start).seconds)
    }

    /// Reads what the steps recorded since the last read, keeps their losses, and throws on the
    /// first non-finite loss (naming its batch) or, with `checkWeights`, on non-finite weights
    /// (naming the batches since the last read); then updates the running figures.
    private func readBack(
        _ recorder: PassRecorder, targets: [Float], checkWeights: Bool, into progress: inout RunningFigures
    ) throws {
        let firstRead = recorder.samplesRead
        let weights = checkWeights ? model.parameters.filter(\.requiresGrad).map(\.value) : []
        let fresh = try recorder.readBack(checking: weights)
        for batch in fresh {
            let loss = recorder.losses[batch]
            guard loss.isFinite else {
                throw TrainingError.nonFiniteLoss(
                    epoch: progress.epoch, batch: batch + 1, batchCount: progress.batchCount, value: loss)
            }
            stepLosses.append(loss)
        }
        if !recorder.weightsAreFinite, let last = fresh.last {
            throw TrainingError.nonFiniteWeights(
                parameter: try firstNonFiniteParameter(), epoch: progress.epoch, batches: (fresh.lowerBound + 1)...(last + 1),
                batchCount: progress.batchCount)
        }
        try progress.count(
            outputs: recorder.outputValues, width: recorder.width, targets: targets,
            samples: firstRead..<recorder.samplesRead)
    }

    /// The name of the first trainable parameter whose values are not finite (or of the first
    /// trainable parameter when none is).
    private func firstNonFiniteParameter() throws -> String {
        let named = model.namedParameters.filter { $0.variable.requiresGrad }
        let norm = try Tensor(uninitializedShape: [1], on: device)
        for parameter in named {
            try device.globalNorm([parameter.variable.value], into: norm)
            if try !norm.item().isFinite { return parameter.name }
        }
        return named.first?.name ?? "?"
    }

    /// A sampler for this epoch's gradient-norm samples, or nil when sampling is off.
    private func gradientNormSampler(batchCount: Int, interval: Int) throws -> GradientNormSampler? {
        guard interval > 0 else { return nil }
        let steps = step..<(step + batchCount)
        let sampled = steps.filter { $0 % interval == 0 }.count
        guard sampled > 0 else { return nil }
        return try GradientNormSampler(parameterCount: gradientNorms.parameterNames.count, capacity: sampled, on: device)
    }

    private func sampleGradientNorms(into sampler: GradientNormSampler, epoch: Int, step: Int) throws {
        let byName = Dictionary(model.namedParameters.map { ($0.name, $0.variable) }, uniquingKeysWith: { first, _ in first })
        try sampler.sample(gradientNorms.parameterNames.map { byName[$0]?.grad }, epoch: epoch, step: step)
    }
}

/// The running loss and accuracy of an epoch for progress callbacks, counted from what has been
/// read back.
struct RunningFigures {
    let epoch: Int
    let batchCount: Int
    let countsAccuracy: Bool
    private var correct = 0
    private var counted = 0

    init(epoch: Int, batchCount: Int, countsAccuracy: Bool) {
        self.epoch = epoch
        self.batchCount = batchCount
        self.countsAccuracy = countsAccuracy
    }

    /// Counts the correct predictions among `samples` (indices into `outputs` rows and `targets`).
    mutating func count(outputs: [Float], width: Int, targets: [Float], samples: Range<Int>) throws {
        guard countsAccuracy, !samples.isEmpty else { return }
        let rows = Array(outputs[samples.lowerBound * width..<samples.upperBound * width])
        let predicted = try ModelOutputs(rows, width: width).predictedClasses()
        correct += zip(predicted, targets[samples]).filter { Float($0) == $1 }.count
        counted += samples.count
    }

    /// The progress after `batch` batches.
    func report(plan: FitPlan, batch: Int, samplesSeen: Int, loss: Double, elapsedSeconds: Double) -> BatchProgress {
        var metrics: [String: Double] = [:]
        if countsAccuracy, counted > 0 { metrics[Metric.accuracy.rawValue] = Double(correct) / Double(counted) }
        return BatchProgress(
            epoch: epoch, lastEpoch: plan.lastEpoch, batch: batch, batchCount: batchCount, samplesSeen: samplesSeen,
            samplesPerEpoch: plan.samplesPerEpoch, loss: loss, metrics: metrics, elapsedSeconds: elapsedSeconds)
    }
}
