import Backend
import TestSupport
import Testing
import Training

@Suite struct DataLoaderTests {
    /// 10 samples of 2 features (10·i, 10·i + 1), classes i % 3.
    static let data = try! Dataset(
        features: (0..<10).flatMap { [Float(10 * $0), Float(10 * $0 + 1)] }, featureShape: [2],
        targets: (0..<10).map { Float($0 % 3) }, task: .classification(classNames: ["a", "b", "c"]))

    @Test(arguments: TestDevice.all)
    func batchesCarryTheRightSamplesInOrder(_ device: TestDevice) throws {
        let loader = try DataLoader(Self.data, batchSize: 4, on: device.device, shuffle: false)
        #expect(loader.batchCount == 3)
        var seen: [Int] = []
        try loader.forEachBatch(epoch: 0) { batch in
            #expect(batch.inputs.shape == [batch.count, 2])
            #expect(batch.targets.shape == [batch.count])
            let inputs = try batch.inputs.toArray()
            let targets = try batch.targets.toArray()
            #expect(inputs == batch.indices.flatMap { [Float(10 * $0), Float(10 * $0 + 1)] })
            #expect(targets == batch.indices.map { Float($0 % 3) })
            #expect(batch.inputs.device === device.device)
            seen += batch.indices
        }
        #expect(seen == Array(0..<10))
    }

    @Test func shufflingIsSeededPerEpochAndDropLastDropsTheTail() throws {
        let loader = try DataLoader(Self.data, batchSize: 4, on: CPUDevice.shared, seed: 9, dropLast: true)
        #expect(loader.batchCount == 2)
        #expect(loader.samplesPerEpoch == 8)
        let epoch0 = loader.batchIndices(epoch: 0)
        #expect(epoch0.map(\.count) == [4, 4])
        #expect(epoch0 == loader.batchIndices(epoch: 0))
        #expect(loader.order(epoch: 0) != loader.order(epoch: 1))
        #expect(loader.order(epoch: 0).sorted() == Array(0..<10))
        let other = try DataLoader(Self.data, batchSize: 4, on: CPUDevice.shared, seed: 10)
        #expect(other.order(epoch: 0) != loader.order(epoch: 0))
    }

    @Test func oneHotAndColumnTargets() throws {
        let oneHot = try DataLoader(Self.data, batchSize: 3, on: CPUDevice.shared, shuffle: false, targetLayout: .oneHot)
        let batch = try oneHot.makeBatch([0, 1, 5], epoch: 0)
        #expect(batch.targets.shape == [3, 3])
        #expect(try batch.targets.toArray() == [1, 0, 0, 0, 1, 0, 0, 0, 1])
        let column = try DataLoader(Self.data, batchSize: 3, on: CPUDevice.shared, targetLayout: .column)
        #expect(try column.makeBatch([4], epoch: 0).targets.shape == [1, 1])
        let regression = try Dataset(features: [1, 2], featureShape: [1], targets: [3, 4], task: .regression)
        #expect(throws: DataError.self) { try DataLoader(regression, batchSize: 1, on: CPUDevice.shared, targetLayout: .oneHot) }
        #expect(throws: DataError.self) { try DataLoader(regression, batchSize: 0, on: CPUDevice.shared) }
        #expect(throws: DataError.self) { try column.makeBatch([10], epoch: 0) }
    }

    @Test(arguments: TestDevice.all)
    func augmentedBatchesAreReproducibleAndIndependentOfBatching(_ device: TestDevice) throws {
        let images = try BundledDataset.digits.load().subset(Array(0..<12)).withFeatureShape([1, 8, 8])
        let augmentation = ImageAugmentation(maxShift: 1, brightness: 1, contrast: 0.2)
        let small = try DataLoader(images, batchSize: 5, on: device.device, seed: 3, augmentation: augmentation)
        let large = try DataLoader(images, batchSize: 12, on: CPUDevice.shared, seed: 3, augmentation: augmentation)
        let sample = small.batchIndices(epoch: 1)[0]
        let first = try small.makeBatch(sample, epoch: 1).inputs.toArray()
        let again = try large.makeBatch(sample, epoch: 1).inputs.toArray()
        #expect(first == again)
        #expect(try small.makeBatch(sample, epoch: 2).inputs.toArray() != first)
        let plain = try DataLoader(images, batchSize: 5, on: device.device, seed: 3).makeBatch(sample, epoch: 1)
        #expect(try plain.inputs.toArray() != first)
        #expect(plain.inputs.shape == [5, 1, 8, 8])
        #expect(throws: DataError.self) {
            try DataLoader(try BundledDataset.diabetes.load(), batchSize: 2, on: device.device, augmentation: augmentation)
        }
    }
}
