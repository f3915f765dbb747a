import Backend

/// How a batch's targets are laid out on the device.
public enum TargetLayout: Sendable, Equatable {
    /// Shape `[batch]`: class indices as Float (for cross-entropy with indices).
    case classIndices
    /// Shape `[batch, 1]`: one value per sample (regression, or a binary 0/1 target).
    case column
    /// Shape `[batch, classes]`: 1 at the class, 0 elsewhere.
    case oneHot
}

/// One batch on a device.
public struct Batch: Sendable {
    /// Features, shape `[count] + featureShape`.
    public let inputs: Tensor
    /// Targets, laid out as the loader's `targetLayout` says.
    public let targets: Tensor
    /// The samples' indices in the data set.
    public let indices: [Int]
    /// Number of samples.
    public var count: Int { indices.count }
}

/// One batch assembled in host memory, before its upload.
public struct HostBatch: Sendable {
    /// Features, row-major, of `featureShape` (`[count] + the sample shape`).
    public let features: [Float]
    public let featureShape: [Int]
    /// Targets in the loader's layout, of `targetShape`.
    public let targets: [Float]
    public let targetShape: [Int]
    /// The samples' indices in the data set.
    public let indices: [Int]
}

/// Cuts a data set into batches on a device, shuffled per epoch by a seed, optionally augmented.
/// The same seed and epoch give the same batches (and the same augmentation) on every device:
/// the draws come from Philox streams keyed by the seed (see `shuffleStream` and
/// `augmentationStream`).
public struct DataLoader: Sendable {
    /// The samples.
    public let dataset: Dataset
    /// Samples per batch (the last batch may be smaller unless `dropLast`).
    public let batchSize: Int
    /// Whether each epoch visits the samples in a new random order.
    public let shuffle: Bool
    /// The seed of shuffling and augmentation.
    public let seed: UInt64
    /// Whether a last batch smaller than `batchSize` is left out.
    public let dropLast: Bool
    /// The layout of the target tensors.
    public let targetLayout: TargetLayout
    /// Applied to each sample's features when set (images only).
    public let augmentation: ImageAugmentation?
    /// Where the batches are created.
    public let device: any Device

    /// A loader; the target layout defaults to class indices for classification and a column
    /// for regression.
    public init(
        _ dataset: Dataset, batchSize: Int, on device: any Device, shuffle: Bool = true, seed: UInt64 = 0,
        dropLast: Bool = false, targetLayout: TargetLayout? = nil, augmentation: ImageAugmentation? = nil
    ) throws {
        guard batchSize > 0 else {
            throw DataError.invalidArgument(op: "DataLoader", detail: "batch size must be positive, got \(batchSize)")
        }
        let layout = targetLayout ?? (dataset.isClassification ? .classIndices : .column)
        if layout != .column, !dataset.isClassification {
            throw DataError.invalidArgument(op: "DataLoader", detail: "\(layout) targets need a classification data set")
        }
        try augmentation?.validate(imageShape: dataset.featureShape)
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.seed = seed
        self.dropLast = dropLast
        self.targetLayout = layout
        self.augmentation = augmentation
        self.device = device
    }

    /// Number of batches per epoch.
    public var batchCount: Int {
        dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
    }

    /// Number of samples an epoch visits.
    public var samplesPerEpoch: Int { dropLast ? batchCount * batchSize : dataset.count }

    /// The order in which epoch `epoch` visits the samples.
    public func order(epoch: Int) -> [Int] {
        var order = Array(0..<dataset.count)
        if shuffle {
            var generator = PhiloxGenerator(stream: shuffleStream(epoch: epoch))
            generator.shuffle(&order)
        }
        return order
    }

    /// The sample indices of each batch of epoch `epoch`.
    public func batchIndices(epoch: Int) -> [[Int]] {
        let order = order(epoch: epoch)
        return (0..<batchCount).map { batch in
            Array(order[(batch * batchSize)..<min((batch + 1) * batchSize, order.count)])
        }
    }

    /// Builds the batch of `indices` on the device (augmented for epoch `epoch` when set).
    public func makeBatch(_ indices: [Int], epoch: Int) throws -> Batch {
        try upload(makeHostBatch(indices, epoch: epoch))
    }

    /// Assembles the batch of `indices` in host memory (augmented for epoch `epoch` when set):
    /// the part of a batch that needs no device, so it can run off the training thread.
    public func makeHostBatch(_ indices: [Int], epoch: Int) throws -> HostBatch {
        if let bad = indices.first(where: { !(0..<dataset.count).contains($0) }) {
            throw DataError.invalidArgument(op: "DataLoader.makeBatch", detail: "index \(bad) is outside 0..<\(dataset.count)")
        }
        let width = dataset.featuresPerSample
        var features = [Float](repeating: 0, count: indices.count * width)
        try features.withUnsafeMutableBufferPointer { destination in
            func fill(_ row: Int) throws {
                let sample = indices[row]
                let rowValues = UnsafeMutableBufferPointer(rebasing: destination[(row * width)..<((row + 1) * width)])
                try dataset.writeFeatures(of: sample, into: rowValues)
                if let augmentation {
                    var generator = PhiloxGenerator(stream: augmentationStream(epoch: epoch, sample: sample))
                    augmentation.apply(to: rowValues, shape: dataset.featureShape, using: &generator)
                }
            }
            // Decoding files and augmenting are worth the cores; copying held rows is not.
            if indices.count > 1, dataset.source != nil || augmentation != nil {
                try ConcurrentRows.forEach(indices.count, fill)
            } else {
                for row in indices.indices { try fill(row) }
            }
        }
        let (targets, targetShape) = targetValues(of: indices)
        return HostBatch(
            features: features, featureShape: [indices.count] + dataset.featureShape, targets: targets,
            targetShape: targetShape, indices: indices)
    }

    /// Uploads a host batch to the loader's device (without waiting for the device).
    public func upload(_ batch: HostBatch) throws -> Batch {
        Batch(
            inputs: try Tensor(batch.features, shape: batch.featureShape, on: device),
            targets: try Tensor(batch.targets, shape: batch.targetShape, on: device), indices: batch.indices)
    }

    /// Calls `body` with each batch of epoch `epoch`, in order, assembling the next batches on
    /// another thread while `body` runs.
    public func forEachBatch(epoch: Int, _ body: (Batch) throws -> Void) throws {
        let prefetcher = BatchPrefetcher(self, batches: batchIndices(epoch: epoch), epoch: epoch)
        while let batch = try prefetcher.next() {
            try body(upload(batch))
        }
    }

    /// The Philox stream of epoch `epoch`'s shuffle: offset = the epoch.
    public func shuffleStream(epoch: Int) -> RandomStream {
        RandomStream(seed: seed, offset: UInt64(truncatingIfNeeded: epoch))
    }

    /// The Philox stream that augments `sample` in epoch `epoch`: the offset's top bit set (apart
    /// from every shuffle stream), the epoch in bits 32–62, the sample in bits 0–31.
    public func augmentationStream(epoch: Int, sample: Int) -> RandomStream {
        let epochBits = (UInt64(truncatingIfNeeded: epoch) & 0x7FFF_FFFF) << 32
        return RandomStream(seed: seed, offset: 1 << 63 | epochBits | UInt64(truncatingIfNeeded: sample) & 0xFFFF_FFFF)
    }

    /// The targets of `indices` in the loader's layout, with their shape.
    private func targetValues(of indices: [Int]) -> (values: [Float], shape: [Int]) {
        let values = indices.map { dataset.targets[$0] }
        switch targetLayout {
        case .classIndices:
            return (values, [indices.count])
        case .column:
            return (values, [indices.count, 1])
        case .oneHot:
            let classes = dataset.classCount
            var oneHot = [Float](repeating: 0, count: indices.count * classes)
            for (row, value) in values.enumerated() { oneHot[row * classes + Int(value)] = 1 }
            return (oneHot, [indices.count, classes])
        }
    }
}
