import Backend
import Foundation

/// The data sets that ship with SwiftTune (see `Resources/README.md` for sources and licences).
public enum BundledDataset: String, CaseIterable, Sendable {
    /// Handwritten digits, 8×8, ten classes.
    case digits
    /// Wisconsin breast cancer diagnostic, two classes (malignant = 1).
    case breastCancer = "breast_cancer"
    /// Diabetes progression, regression.
    case diabetes

    /// Source, creators and licence.
    public var info: DatasetInfo {
        switch self {
        case .digits: return .digits
        case .breastCancer: return .breastCancer
        case .diabetes: return .diabetes
        }
    }

    /// How the bundled CSV file is read.
    var csvOptions: CSVOptions {
        switch self {
        case .digits:
            return CSVOptions(target: .name("digit"), targetKind: .classification(classNames: (0...9).map(String.init)))
        case .breastCancer:
            return CSVOptions(target: .name("diagnosis"), targetKind: .classification(classNames: ["benign", "malignant"]))
        case .diabetes:
            return CSVOptions(target: .name("progression"), targetKind: .regression)
        }
    }

    /// Finds the bundled files: `SWIFTTUNE_DATA` when set, else the resource bundle beside the
    /// executable, else `Sources/Training/Resources` in the source checkout.
    static let locator = ResourceLocator(
        environmentVariable: "SWIFTTUNE_DATA",
        bundleName: "SwiftTune_Training.resources",
        subfolder: "Resources",
        checkoutFolder: ResourceLocator.folder(above: #filePath, levelsUp: 2).appendingPathComponent("Resources"))

    /// The location of the bundled file.
    public func url() throws -> URL {
        guard let url = Self.locator.locate(info.fileName) else {
            throw DataError.resourceMissing(name: info.fileName, searched: Self.locator.searchFolders().map(\.path))
        }
        return url
    }

    /// Loads the data set (features as in the file, unscaled; digits with feature shape `[64]`,
    /// use `withFeatureShape([1, 8, 8])` for images).
    public func load() throws -> Dataset {
        let url = try url()
        let dataset = try Dataset.loadCSV(url, options: csvOptions, info: info)
        guard dataset.count == info.sampleCount, dataset.featuresPerSample == info.featureCount else {
            throw DataError.malformed(
                file: url.path, line: nil, column: nil,
                detail: "expected \(info.sampleCount) samples of \(info.featureCount) features, found \(dataset.count) of \(dataset.featuresPerSample)")
        }
        return dataset
    }
}
