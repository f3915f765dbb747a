import Backend
import Foundation
import Testing
import Training

/// `data.folds`, `data.classes` and `data.samples_per_class` with image files.
@Suite struct ImageDataSelectionTests {
    /// Three classes of 10 generated 4×4 PNG files in `folder/images`.
    static func description(_ keys: String, folder: TemporaryFolder) throws -> TrainingDescription {
        let images = folder.url.appendingPathComponent("images")
        try ImageFixtures.classFolders(in: images, classes: ["a", "b", "c"], perClass: 10)
        return try TrainingDescription.parse(yaml: """
            seed: 4
            data: {images: \(images.path), channels: 1, image_size: [4, 4], normalize: auto, \(keys)}
            model: [flatten, dense: 3]
            training: {epochs: 1, batch_size: 4}
            """)
    }

    /// The files of a part, by their class folder and name.
    static func files(_ part: Dataset?) throws -> [String] {
        guard let part else { return [] }
        let samples = try #require(part.source as? ImageSamples)
        return (0..<samples.count).map { samples.file(of: $0).pathComponents.suffix(2).joined(separator: "/") }
    }

    @Test func foldsPartitionTheFilesOutsideOneTestPartStratified() throws {
        let folder = try TemporaryFolder()
        let description = try Self.description("folds: 3, test: 0.2", folder: folder)
        let folds = try (0..<3).map { try description.data.prepare(seed: description.seed, baseFolder: folder.url, fold: $0) }
        let test = try Self.files(folds[0].test)
        #expect(test.count == 6)
        let validations = try folds.map { try Self.files($0.validation) }
        for (fold, prepared) in folds.enumerated() {
            #expect(try Self.files(prepared.test) == test)
            let train = try Self.files(prepared.train)
            #expect(Set(train).isDisjoint(with: validations[fold]) && Set(train).isDisjoint(with: test))
            #expect(train.count + validations[fold].count + test.count == 30)
            // Each class has 8 files outside the test part: 3, 3 and 2 per fold.
            let counts = try #require(prepared.validation).classCounts()
            #expect(counts.allSatisfy { (2...3).contains($0) }, "fold \(fold): \(counts)")
        }
        let validated = validations.joined()
        #expect(validated.count == 24 && Set(validated).count == 24 && Set(validated).isDisjoint(with: test))
    }

    @Test func autoNormalizationIsComputedOnEachFoldsTrainingPart() throws {
        let folder = try TemporaryFolder()
        let description = try Self.description("folds: 2, test: 0.2", folder: folder)
        let folds = try (0..<2).map { try description.data.prepare(seed: description.seed, baseFolder: folder.url, fold: $0) }
        let normalizations = try folds.map { try #require($0.imagePreprocessing).normalize }
        for (prepared, normalization) in zip(folds, normalizations) {
            let samples = try #require(prepared.train.source as? ImageSamples)
            #expect(try samples.channelStatistics() == normalization)
        }
        #expect(normalizations[0] != normalizations[1])
    }

    @Test func classesAndSamplesPerClassSelectImageFiles() throws {
        let folder = try TemporaryFolder()
        let description = try Self.description("classes: [c, a], samples_per_class: 2, validation: 0.2, test: 0.2", folder: folder)
        let prepared = try description.data.prepare(seed: description.seed, baseFolder: folder.url)
        #expect(prepared.train.classNames == ["c", "a"])
        #expect(try #require(prepared.imagePreprocessing).classNames == ["c", "a"])
        #expect(prepared.train.classCounts() == [2, 2])
        let files = try Self.files(prepared.train) + Self.files(prepared.validation) + Self.files(prepared.test)
        #expect(files.allSatisfy { $0.hasPrefix("a/") || $0.hasPrefix("c/") })
        #expect(prepared.test?.count == 4 && prepared.validation?.count == 4)
        for part in [prepared.train, try #require(prepared.test)] {
            let samples = try #require(part.source as? ImageSamples)
            for index in 0..<part.count {
                let folderName = samples.file(of: index).deletingLastPathComponent().lastPathComponent
                #expect(part.classNames[Int(part.targets[index])] == folderName)
            }
        }
    }

    @Test func aTrainingOfTwoFoldsWritesEachFoldAndTheSummary() throws {
        let folder = try TemporaryFolder()
        let description = try Self.description("folds: 2, test: 0.2", folder: folder)
        let output = folder.url.appendingPathComponent("run")
        let figures = try (0..<2).map { fold -> FoldFigures in
            let run = try TrainingRun(description, device: CPUDevice.shared, fold: fold)
            let foldFolder = output.appendingPathComponent("fold-\(fold + 1)")
            try run.fit(outputFolder: foldFolder)
            let report = try run.report()
            try run.write(report, to: foldFolder)
            return try FoldFigures(fold: fold, run: run, test: report.test)
        }
        try CrossValidationResult(folds: figures).write(to: output)
        for name in ["fold-1/preprocessing.json", "fold-2/preprocessing.json", "folds.csv", "folds.json"] {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(name).path), "\(name)")
        }
        let csv = try String(contentsOf: output.appendingPathComponent("folds.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").map { $0.prefix(while: { $0 != "," }) } == ["fold", "1", "2", "mean", "std"])
        #expect(csv.contains("val_accuracy") && csv.contains("test_accuracy"))
    }
}
