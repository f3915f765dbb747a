import Foundation

/// Reads a folder of images for a run trained on image files: images right in the folder
/// (unlabelled), or one sub-folder per class named like the run's classes (labelled). Each
/// image becomes a sample as the run's images did (`ImagePreprocessing`); a sample is named by
/// its path relative to the folder.
public struct ImageFolderPredictionReader: PredictionInputReader {
    public init() {}

    public func reads(_ url: URL, preprocessing: Preprocessing) -> Bool {
        var isFolder: ObjCBool = false
        return preprocessing.image != nil && FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue
    }

    public func read(_ url: URL, preprocessing: Preprocessing, requireLabels: Bool) throws -> PredictionInput {
        guard let image = preprocessing.image else {
            throw DataError.invalidArgument(op: "images", detail: "the run was not trained on image files")
        }
        let loose = try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
            .filter { ImageFileList.imageExtensions.contains($0.pathExtension.lowercased()) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var files = loose
        var targets = [Float](repeating: 0, count: loose.count)
        let labelled = loose.isEmpty
        if labelled {
            let list = try ImageFileList.folder(url)
            let byName = Dictionary(preprocessing.classNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            let indices = try list.classNames.map { name -> Int in
                guard let index = byName[name] else {
                    throw DataError.malformed(
                        file: url.appendingPathComponent(name).path, line: nil, column: nil,
                        detail: "class folder '\(name)' is not one of the run's classes \(preprocessing.classNames)")
                }
                return index
            }
            files = list.files
            targets = list.labels.map { Float(indices[$0]) }
        } else if requireLabels {
            throw DataError.malformed(
                file: url.path, line: nil, column: nil, detail: "images without labels: put them in one sub-folder per class")
        }
        var features: [Float] = []
        for file in files { features += try image.features(of: file) }
        let task: DatasetTask = preprocessing.isClassification ? .classification(classNames: preprocessing.classNames) : .regression
        let samples = try Dataset(features: features, featureShape: preprocessing.inputShape, targets: targets, task: task)
        let base = url.standardizedFileURL.path + "/"
        return try PredictionInput(
            samples: samples, isLabelled: labelled, identifierColumn: "file",
            identifiers: files.map { $0.standardizedFileURL.path.replacingOccurrences(of: base, with: "") })
    }
}
