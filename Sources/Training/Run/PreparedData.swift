import Foundation

/// The parts of a described data set, scaled by statistics of the training part.
public struct PreparedData: Sendable {
    public let train: Dataset
    /// Nil when the description holds no validation part.
    public let validation: Dataset?
    /// Nil when the description holds no test part.
    public let test: Dataset?
    /// Regression with `scale_targets`: how targets were standardized (its inverse gives
    /// predictions in the original units).
    public let targetScaler: StandardScaler?
    /// How features were scaled (fitted on the training part), or nil with `scale: none`.
    public var featureScaler: (any FeatureScaler)? = nil
    /// Image files: how samples were made of them (saved with the run as `preprocessing.json`).
    public var imagePreprocessing: ImagePreprocessing? = nil
    /// Text data: the vocabulary built on the training part, which the run keeps.
    public var vocabulary: Vocabulary? = nil
}

extension PreparedData {
    /// Writes a warning line to standard error.
    public static func printWarning(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

extension DataDescription {
    /// Loads, views, selects, splits (seeded, stratified for classification; with `data.folds`,
    /// fold `fold` validates) and scales the samples. Image files are normalized per channel
    /// instead of scaled; warnings about skipped files go to `warn` (standard error by default).
    public func prepare(
        seed: UInt64, baseFolder: URL, fold: Int? = nil, warn: (String) -> Void = PreparedData.printWarning
    ) throws -> PreparedData {
        func path(_ text: String) -> URL {
            text.hasPrefix("/") ? URL(fileURLWithPath: text) : baseFolder.appendingPathComponent(text)
        }
        var all: Dataset
        var fixedTest: Dataset?
        switch source {
        case let .sequence(sequenceSource):
            return try sequenceSource.prepare(
                validation: validation, test: test, scaleTargets: scaleTargets, seed: seed, baseFolder: baseFolder)
        case let .bundled(dataset):
            all = try dataset.load()
        case let .csv(file, target, classification, delimiter):
            all = try Dataset.loadCSV(
                path(file),
                options: CSVOptions(target: target, targetKind: classification ? .classification() : .regression, delimiter: delimiter))
        case let .mnist(folder, fashion):
            let names = fashion ? MNIST.fashionClassNames : MNIST.digitClassNames
            all = try MNIST.load(folder: path(folder), split: .train, classNames: names)
            fixedTest = try MNIST.load(folder: path(folder), split: .test, classNames: names)
        case let .images(images):
            return try images.prepare(
                validation: validation, test: test, selection: selection, fold: fold, seed: seed, baseFolder: baseFolder, warn: warn)
        }
        if let imageShape {
            all = try all.withFeatureShape(imageShape)
            fixedTest = try fixedTest?.withFeatureShape(imageShape)
        }
        if let maxSamples, maxSamples < all.count {
            all = try all.subset(Array(0..<maxSamples))
        }
        if let resize {
            all = try all.resizedImages(to: resize)
            fixedTest = try fixedTest?.resizedImages(to: resize)
        }
        all = try selection.keepingClasses(all)
        fixedTest = try fixedTest.map(selection.keepingClasses)
        let split = try selection.split(all, validation: validation, test: fixedTest == nil ? test : 0, seed: seed, fold: fold)
        var train = try selection.limitingSamples(split.train, seed: seed)
        var validation: Dataset? = split.validation.count > 0 ? split.validation : nil
        var test: Dataset? = fixedTest ?? (split.test.count > 0 ? split.test : nil)
        let scaler: (any FeatureScaler)? = switch scaling {
        case .standard: try StandardScaler.fit(train)
        case .minmax: try MinMaxScaler.fit(train)
        case .none: nil
        }
        var targetScaler: StandardScaler?
        if !train.isClassification, scaleTargets {
            targetScaler = try StandardScaler.fit(train.targets, featureCount: 1)
        }
        func prepared(_ part: Dataset) throws -> Dataset {
            let features = try scaler?.transform(part.features) ?? part.features
            return try part.replacing(features: features, targets: targetScaler?.transform(part.targets) ?? part.targets)
        }
        train = try prepared(train)
        validation = try validation.map(prepared)
        test = try test.map(prepared)
        return PreparedData(train: train, validation: validation, test: test, targetScaler: targetScaler, featureScaler: scaler)
    }
}
