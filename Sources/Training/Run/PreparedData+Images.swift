import Foundation

extension ImageDataDescription {
    /// Reads the files (warnings for skipped ones go to `warn`), keeps the selected classes,
    /// splits them (seeded, stratified; with `data.folds`, fold `fold` validates), limits the
    /// training samples per class and normalizes every part with the given statistics or those
    /// of the training part.
    func prepare(
        validation: Double, test: Double, selection: DataSelection, fold: Int?, seed: UInt64, baseFolder: URL,
        warn: (String) -> Void
    ) throws -> PreparedData {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : baseFolder.appendingPathComponent(path)
        let list = try ImageFileList.load(url)
        let all = try selection.keepingClasses(ImageSamples.load(
            list, settings: settings, skipBadFiles: skipBadFiles, cacheLimit: cacheMegabytes << 20, warn: warn))
        var split = try selection.split(all, validation: validation, test: test, seed: seed, fold: fold)
        split.train = try selection.limitingSamples(split.train, seed: seed)
        let normalization: ImageNormalization
        switch self.normalization {
        case .none: normalization = .identity(channels: settings.channels)
        case let .given(given): normalization = given
        case .auto: normalization = try Self.samples(of: split.train).channelStatistics()
        }
        func normalized(_ part: Dataset) throws -> Dataset? {
            guard part.count > 0 else { return nil }
            return try Dataset(
                source: Self.samples(of: part).normalized(normalization), featureShape: part.featureShape,
                targets: part.targets, task: part.task)
        }
        guard let train = try normalized(split.train) else {
            throw DataError.invalidArgument(op: "images", detail: "no images are left for training")
        }
        return PreparedData(
            train: train, validation: try normalized(split.validation), test: try normalized(split.test), targetScaler: nil,
            imagePreprocessing: ImagePreprocessing(classNames: all.classNames, settings: settings, normalization: normalization))
    }

    /// The image samples behind a part.
    private static func samples(of part: Dataset) throws -> ImageSamples {
        guard let samples = part.source as? ImageSamples else {
            throw DataError.invalidArgument(op: "images", detail: "the data set holds no image files")
        }
        return samples
    }
}
