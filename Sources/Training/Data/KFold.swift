import Backend

/// k-fold cross-validation: the samples are dealt into `k` folds of sizes that differ by at most
/// one; fold `i` validates a model trained on the other `k − 1`. Stratified folds also keep each
/// class's count per fold within one of each other.
public struct KFold: Sendable {
    /// The training and validation sample indices of one fold, each ascending.
    public struct Fold: Sendable, Equatable {
        /// Which fold, 0-based.
        public let index: Int
        /// Samples to train on.
        public let trainIndices: [Int]
        /// Samples to validate on.
        public let validationIndices: [Int]
    }

    /// Number of folds.
    public let k: Int
    /// Whether folds keep the class proportions.
    public let stratified: Bool
    /// The seed of the shuffle before dealing; nil deals the samples in their order.
    public let seed: UInt64?

    /// `k` folds (at least 2), optionally stratified, shuffled by `seed` unless it is nil.
    public init(k: Int, stratified: Bool = false, seed: UInt64? = 0) throws {
        guard k >= 2 else {
            throw DataError.invalidArgument(op: "KFold", detail: "k must be at least 2, got \(k)")
        }
        self.k = k
        self.stratified = stratified
        self.seed = seed
    }

    /// The folds of `dataset`.
    public func folds(of dataset: Dataset) throws -> [Fold] {
        guard dataset.count >= k else {
            throw DataError.invalidArgument(op: "KFold", detail: "\(k) folds need at least \(k) samples, the data set has \(dataset.count)")
        }
        if stratified, !dataset.isClassification {
            throw DataError.invalidArgument(op: "KFold", detail: "stratified folds need a classification data set")
        }
        var groups = stratified ? dataset.indicesByClass() : [Array(0..<dataset.count)]
        if let seed {
            var generator = PhiloxGenerator(seed: seed)
            for group in groups.indices { generator.shuffle(&groups[group]) }
        }
        var foldOf = [Int](repeating: 0, count: dataset.count)
        if stratified {
            // Consecutive positions go to consecutive folds, so every class spreads evenly.
            for (position, sample) in groups.joined().enumerated() { foldOf[sample] = position % k }
        } else {
            // Contiguous blocks; the first `count % k` folds hold one sample more.
            let base = dataset.count / k
            let larger = dataset.count % k
            for (position, sample) in groups[0].enumerated() {
                let boundary = larger * (base + 1)
                foldOf[sample] = position < boundary ? position / (base + 1) : larger + (position - boundary) / base
            }
        }
        return (0..<k).map { fold in
            Fold(
                index: fold,
                trainIndices: foldOf.indices.filter { foldOf[$0] != fold },
                validationIndices: foldOf.indices.filter { foldOf[$0] == fold })
        }
    }

    /// The training and validation data sets of fold `index`.
    public func split(_ dataset: Dataset, fold index: Int) throws -> (train: Dataset, validation: Dataset) {
        guard (0..<k).contains(index) else {
            throw DataError.invalidArgument(op: "KFold.split", detail: "fold \(index) is outside 0..<\(k)")
        }
        let fold = try folds(of: dataset)[index]
        return (try dataset.subset(fold.trainIndices), try dataset.subset(fold.validationIndices))
    }
}
