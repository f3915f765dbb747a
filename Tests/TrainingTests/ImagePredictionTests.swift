import Backend
import Foundation
import Testing
@testable import Training

@Suite struct ImagePredictionTests {
    @Test func aRunTrainedOnImagesPredictsAFolderAndEvaluatesClassFolders() throws {
        let folder = try TemporaryFolder()
        let images = folder.url.appendingPathComponent("images")
        try ImageFixtures.classFolders(in: images, classes: ["cat", "dog"], perClass: 6)
        let description = try TrainingDescription.parse(yaml: """
            seed: 1
            data: {images: images, channels: 1, image_size: [4, 4], normalize: auto, validation: 0, test: 0}
            model: [flatten, dense: 2]
            training: {epochs: 1, batch_size: 4}
            """, baseFolder: folder.url)
        let run = try TrainingRun(description, device: CPUDevice.shared)
        try run.fit()
        let runFolder = folder.url.appendingPathComponent("run")
        try run.writeModelFolder(to: runFolder)
        let saved = try SavedRun(folder: runFolder, device: CPUDevice.shared)
        #expect(saved.preprocessing.image?.classNames == ["cat", "dog"])

        let labelled = try saved.read(images, requireLabels: true)
        #expect(labelled.isLabelled && labelled.samples.count == 12 && labelled.identifiers.first == "cat/0.png")
        #expect(labelled.samples.targets == [Float](repeating: 0, count: 6) + [Float](repeating: 1, count: 6))
        let (evaluation, report) = try saved.evaluate(labelled)
        #expect(evaluation.metrics["accuracy"] != nil && report?.classNames == ["cat", "dog"])

        let loose = folder.url.appendingPathComponent("loose")
        try FileManager.default.createDirectory(at: loose, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: images.appendingPathComponent("dog/1.png"), to: loose.appendingPathComponent("x.png"))
        let unlabelled = try saved.read(loose, requireLabels: false)
        #expect(!unlabelled.isLabelled && unlabelled.identifiers == ["x.png"] && unlabelled.identifierColumn == "file")
        #expect(unlabelled.samples.features == Array(labelled.samples.features(of: 7)))
        #expect(throws: DataError.self) { try saved.read(loose, requireLabels: true) }
    }
}
