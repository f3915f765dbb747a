import Backend

/// Which samples of a described data set take part, and how they are divided: `classes` (keep
/// these classes, numbered anew in the order given), `samples_per_class` (train on at most this
/// many samples of each class; validation and test keep theirs) and `folds` (k-fold
/// cross-validation, stratified for classification).
public struct DataSelection: Sendable, Equatable {
    /// The classes kept, by name or index, in their new order; nil keeps all.
    public var classes: [String]?
    /// At most this many training samples per class, drawn by the seed; nil keeps all.
    public var samplesPerClass: Int?
    /// k of k-fold cross-validation; nil trains once.
    public var folds: Int?
    /// Where `classes` was written, for errors found once the data is loaded.
    var classesSite: DescriptionSite? = nil

    /// Every sample, one training.
    public static let all = DataSelection(classes: nil, samplesPerClass: nil, folds: nil)

    /// Selections are equal when they select alike, wherever they were written.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.classes == rhs.classes && lhs.samplesPerClass == rhs.samplesPerClass && lhs.folds == rhs.folds
    }

    /// The `data` keys this struct reads.
    static let keys = ["classes", "samples_per_class", "folds"]

    static func parse(_ fields: YAMLMapping) throws -> DataSelection {
        let classes = try fields["classes"].map { node -> [String] in
            let names = try node.sequence().map { try $0.string() }
            guard !names.isEmpty, Set(names).count == names.count else { throw node.error("expected distinct classes, at least one") }
            return names
        }
        return DataSelection(
            classes: classes, samplesPerClass: try fields["samples_per_class"]?.int(min: 1), folds: try fields["folds"]?.int(min: 2),
            classesSite: fields["classes"].map(DescriptionSite.init))
    }

    /// `dataset` with only the chosen classes, numbered 0, 1, ... in the order given. A class is
    /// found by name, else by index.
    func keepingClasses(_ dataset: Dataset) throws -> Dataset {
        guard let classes else { return dataset }
        func fail(_ detail: String) -> any Error {
            classesSite?.error(detail) ?? DataError.invalidArgument(op: "data.classes", detail: detail)
        }
        guard case let .classification(names) = dataset.task else { throw fail("choosing classes needs a classification data set") }
        let chosen = try classes.map { wanted -> Int in
            if let index = names.firstIndex(of: wanted) { return index }
            if let index = Int(wanted), names.indices.contains(index) { return index }
            throw fail("'\(wanted)' is not a class; the classes are \(names.joined(separator: ", "))")
        }
        let newIndex = Dictionary(uniqueKeysWithValues: chosen.enumerated().map { ($0.element, $0.offset) })
        let kept = dataset.classIndices.indices.filter { newIndex[dataset.classIndices[$0]] != nil }
        let subset = try dataset.subset(kept)
        let targets = kept.map { Float(newIndex[dataset.classIndices[$0]] ?? 0) }
        let task = DatasetTask.classification(classNames: chosen.map { names[$0] })
        if let source = subset.source {
            return try Dataset(source: source, featureShape: subset.featureShape, targets: targets, task: task)
        }
        return try Dataset(
            features: subset.features, featureShape: subset.featureShape,
            targets: targets, task: task,
            featureNames: subset.featureNames, info: subset.info)
    }

    /// The training, validation and test parts: a stratified split by fractions, or with
    /// `folds` fold `fold` of the samples outside the test part (which validates on that fold).
    func split(_ all: Dataset, validation: Double, test: Double, seed: UInt64, fold: Int?) throws -> DatasetSplit.Parts {
        guard let folds else {
            let split = try all.split(validation: validation, test: test, seed: seed)
            return (split.train, split.validation, split.test)
        }
        guard let fold, (0..<folds).contains(fold) else {
            let given = fold.map { "fold \($0) is not one of 0..<\(folds)" } ?? "no fold was chosen"
            throw DataError.invalidArgument(op: "data.folds", detail: "\(folds) folds train once per fold, and \(given)")
        }
        let outer = try all.split(validation: 0, test: test, seed: seed)
        let inner = try KFold(k: folds, stratified: all.isClassification, seed: seed).split(outer.train, fold: fold)
        return (inner.train, inner.validation, outer.test)
    }

    /// `train` with at most `samplesPerClass` samples of each class, drawn by `seed`.
    func limitingSamples(_ train: Dataset, seed: UInt64) throws -> Dataset {
        guard let samplesPerClass else { return train }
        guard train.isClassification else {
            throw DataError.invalidArgument(op: "data.samples_per_class", detail: "samples per class need a classification data set")
        }
        var generator = PhiloxGenerator(seed: seed &+ 0x5A3D)
        var kept: [Int] = []
        for var members in train.indicesByClass() {
            generator.shuffle(&members)
            kept += members.prefix(samplesPerClass)
        }
        return try train.subset(kept.sorted())
    }
}

extension DatasetSplit {
    /// Training, validation and test samples.
    typealias Parts = (train: Dataset, validation: Dataset, test: Dataset)
}
