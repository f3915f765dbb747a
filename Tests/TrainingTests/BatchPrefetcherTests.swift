import Backend
import Testing
import Training

/// Batches assembled on another thread come out as assembling them in turn would.
struct BatchPrefetcherTests {
    static let data = TrainingFixtures.digits.train

    @Test func prefetchedBatchesEqualBatchesMadeInTurn() throws {
        let loader = try DataLoader(
            Self.data.withFeatureShape([1, 8, 8]), batchSize: 100, on: CPUDevice.shared, seed: 4, augmentation: ImageAugmentation(maxShift: 1))
        let batches = loader.batchIndices(epoch: 3)
        let prefetcher = BatchPrefetcher(loader, batches: batches, epoch: 3, depth: 2)
        var count = 0
        while let batch = try prefetcher.next() {
            let expected = try loader.makeHostBatch(batches[count], epoch: 3)
            #expect(batch.features == expected.features)
            #expect(batch.targets == expected.targets && batch.indices == expected.indices)
            count += 1
        }
        #expect(count == batches.count)
        #expect(try prefetcher.next() == nil)
    }

    @Test func anErrorComesOutInItsBatchsPlace() throws {
        let loader = try DataLoader(Self.data, batchSize: 10, on: CPUDevice.shared)
        let prefetcher = BatchPrefetcher(loader, batches: [[0, 1], [Self.data.count], [2]], epoch: 0)
        #expect(try prefetcher.next()?.indices == [0, 1])
        #expect(throws: DataError.self) { try prefetcher.next() }
    }

    @Test func droppingAPrefetcherEarlyStopsItsThread() throws {
        let loader = try DataLoader(Self.data, batchSize: 10, on: CPUDevice.shared)
        for _ in 0..<20 {
            let prefetcher = BatchPrefetcher(loader, batches: loader.batchIndices(epoch: 0), epoch: 0, depth: 1)
            #expect(try prefetcher.next()?.indices.count == 10)
        }
    }
}
