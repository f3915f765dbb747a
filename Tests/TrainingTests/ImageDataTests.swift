import Backend
import Foundation
import Testing
import Training

@Suite struct ImageDataTests {
    /// One channel of 4×4, the fixtures' size.
    var settings: ImageSettings {
        get throws { try ImageSettings(channels: 1, height: 4, width: 4) }
    }

    @Test func classFoldersGiveSortedClassesAndLabels() throws {
        let folder = try TemporaryFolder()
        try ImageFixtures.classFolders(in: folder.url, classes: ["dog", "cat"], perClass: 2)
        try Data("notes".utf8).write(to: folder.url.appendingPathComponent("cat/readme.txt"))
        let list = try ImageFileList.load(folder.url)
        #expect(list.classNames == ["cat", "dog"])
        #expect(list.labels == [0, 0, 1, 1])
        #expect(list.files.map { $0.pathComponents.suffix(2).joined(separator: "/") } == ["cat/0.png", "cat/1.png", "dog/0.png", "dog/1.png"])
    }

    @Test func csvListsPathsRelativeToItselfWithNumericLabelsInOrder() throws {
        let folder = try TemporaryFolder()
        let files = try ImageFixtures.classFolders(in: folder.url, classes: ["a"], perClass: 3)
        let csv = "path,label\na/0.png,10\n\(files[1].path),2\na/2.png,02\n"
        let url = try folder.write(Array(csv.utf8), to: "list.csv")
        let list = try ImageFileList.load(url)
        #expect(list.classNames == ["2", "10"])
        #expect(list.labels == [1, 0, 0])
        #expect(list.files.map(\.standardizedFileURL) == files.map(\.standardizedFileURL))
    }

    @Test func pngAndJpegFilesLoadTogetherAsRGB() throws {
        let folder = try TemporaryFolder()
        // A smooth picture, which JPEG keeps well.
        var pixels: [UInt8] = []
        for y in 0..<5 {
            for x in 0..<6 {
                for channel in 0..<3 { pixels.append(UInt8(10 * x + 20 * y + 60 * channel)) }
            }
        }
        let picture = try DecodedImage(width: 6, height: 5, channels: 3, pixels: pixels)
        for (name, file) in [("a", "x.png"), ("b", "y.jpg"), ("b", "z.JPEG")] {
            let classFolder = folder.url.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: classFolder, withIntermediateDirectories: true)
            try ImageCodec.write(picture, to: classFolder.appendingPathComponent(file))
        }
        let color = try ImageSettings(channels: 3, height: 5, width: 6)
        let data = try ImageSamples.load(ImageFileList.load(folder.url), settings: color, skipBadFiles: false, cacheLimit: 1 << 20)
        #expect(data.count == 3 && data.classCounts() == [1, 2])
        var png = [Float](repeating: 0, count: 90)
        var jpeg = png
        try png.withUnsafeMutableBufferPointer { try data.writeFeatures(of: 0, into: $0) }
        try jpeg.withUnsafeMutableBufferPointer { try data.writeFeatures(of: 1, into: $0) }
        // The same picture through both formats: JPEG is lossy, but close.
        #expect(png != jpeg)
        #expect(zip(png, jpeg).map { abs($0 - $1) }.reduce(0, +) / 90 < 0.05)
    }

    @Test func aBadCSVRowIsAnErrorNamingItsLine() throws {
        let folder = try TemporaryFolder()
        let url = try folder.write(Array("path,label\na.png,cat\nb.png\n".utf8), to: "list.csv")
        #expect { try ImageFileList.load(url) } throws: { "\($0)".contains("list.csv, line 3") }
    }

    @Test func emptyOrMissingFoldersAreErrorsNamingThem() throws {
        let folder = try TemporaryFolder()
        let missing = folder.url.appendingPathComponent("nowhere")
        #expect { try ImageFileList.load(missing) } throws: { "\($0)".contains("nowhere") }
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("empty"), withIntermediateDirectories: true)
        #expect { try ImageFileList.load(folder.url) } throws: { "\($0)".contains("empty") }
    }

    @Test func samplesAreChannelsHeightWidthInZeroToOne() throws {
        let folder = try TemporaryFolder()
        let color = try ImageSettings(channels: 3, height: 2, width: 3)
        try ImageFixtures.classFolders(in: folder.url, classes: ["x"], perClass: 1, channels: 3)
        let data = try ImageSamples.load(
            ImageFileList.load(folder.url), settings: color, skipBadFiles: false, cacheLimit: 1 << 20)
        #expect(data.featureShape == [3, 2, 3])
        var values = [Float](repeating: 0, count: 18)
        try values.withUnsafeMutableBufferPointer { try data.writeFeatures(of: 0, into: $0) }
        #expect(values.allSatisfy { (0...1).contains($0) })
        // The fixture's channels differ by 80 levels before resizing; the planes keep that order.
        #expect(values[6] > values[0] && values[12] > values[6])
    }

    @Test func aBadFileIsAnErrorOrSkippedWithAWarning() throws {
        let folder = try TemporaryFolder()
        try ImageFixtures.classFolders(in: folder.url, classes: ["a", "b"], perClass: 3)
        let good = try ImageCodec.encode(ImageFixtures.image(width: 4, height: 4, channels: 1), as: .png)
        let bad = try folder.write(Array(good.prefix(good.count / 2)), to: "b/truncated.png")
        _ = try folder.write(Array("garbage".utf8), to: "a/garbage.jpg")
        let list = try ImageFileList.load(folder.url)
        #expect { try ImageSamples.load(list, settings: settings, skipBadFiles: false, cacheLimit: 1 << 20) } throws: {
            "\($0)".contains("garbage.jpg")
        }
        var warnings: [String] = []
        let data = try ImageSamples.load(list, settings: settings, skipBadFiles: true, cacheLimit: 1 << 20) { warnings.append($0) }
        #expect(data.count == 6)
        #expect(data.classCounts() == [3, 3])
        #expect(warnings.count == 2)
        #expect(warnings.contains { $0.contains(bad.path) })
    }

    /// Without room in the cache every batch decodes its files again, to the same values.
    @Test func lazyDecodingMatchesTheCache() throws {
        let folder = try TemporaryFolder()
        try ImageFixtures.classFolders(in: folder.url, classes: ["a", "b"], perClass: 5)
        let list = try ImageFileList.load(folder.url)
        let cached = try ImageSamples.load(list, settings: settings, skipBadFiles: false, cacheLimit: 1 << 20)
        let lazy = try ImageSamples.load(list, settings: settings, skipBadFiles: false, cacheLimit: 0)
        #expect((cached.source as? ImageSamples)?.cachedImageCount == 10)
        #expect((lazy.source as? ImageSamples)?.cachedImageCount == 0)
        let augmentation = ImageAugmentation(maxShift: 1, horizontalFlipProbability: 0.5)
        func batches(_ data: Dataset) throws -> [[Float]] {
            let loader = try DataLoader(data, batchSize: 3, on: CPUDevice.shared, seed: 2, augmentation: augmentation)
            let prefetcher = BatchPrefetcher(loader, batches: loader.batchIndices(epoch: 1), epoch: 1)
            var result: [[Float]] = []
            while let batch = try prefetcher.next() { result.append(batch.features) }
            return result
        }
        #expect(try batches(cached) == batches(lazy))
        #expect(try batches(cached).count == 4)
    }

    /// A file that breaks after loading is an error naming it when a batch needs it.
    @Test func aFileThatBreaksLaterIsAnErrorInItsBatch() throws {
        let folder = try TemporaryFolder()
        let files = try ImageFixtures.classFolders(in: folder.url, classes: ["a"], perClass: 2)
        let data = try ImageSamples.load(ImageFileList.load(folder.url), settings: settings, skipBadFiles: false, cacheLimit: 0)
        try Data("broken".utf8).write(to: files[1])
        let loader = try DataLoader(data, batchSize: 2, on: CPUDevice.shared, shuffle: false)
        #expect { try loader.makeHostBatch([0, 1], epoch: 0) } throws: { "\($0)".contains(files[1].path) }
    }

    @Test func autoNormalizationUsesTheTrainingPartOnly() throws {
        let folder = try TemporaryFolder()
        try ImageFixtures.classFolders(in: folder.url, classes: ["a", "b"], perClass: 10)
        let yaml = """
            data: {images: \(folder.url.path), channels: 1, image_size: [4, 4], normalize: auto, validation: 0.2, test: 0.2}
            model: [flatten, dense: 2]
            """
        let description = try TrainingDescription.parse(yaml: yaml)
        let prepared = try description.data.prepare(seed: 3, baseFolder: folder.url)
        #expect(prepared.train.count == 12 && prepared.validation?.count == 4 && prepared.test?.count == 4)
        // The training part's features are normalized to mean 0 and deviation 1 (population).
        func values(_ part: Dataset) throws -> [Float] {
            var all = [Float](repeating: 0, count: part.count * 16)
            for sample in 0..<part.count {
                try all.withUnsafeMutableBufferPointer {
                    try part.writeFeatures(of: sample, into: UnsafeMutableBufferPointer(rebasing: $0[(sample * 16)..<((sample + 1) * 16)]))
                }
            }
            return all
        }
        let train = try values(prepared.train)
        let mean = train.reduce(0, +) / Float(train.count)
        let variance = train.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(train.count)
        #expect(abs(mean) < 1e-4 && abs(variance - 1) < 1e-3)
        // The held-out parts use the training part's statistics, so theirs differ.
        let test = try values(#require(prepared.test))
        #expect(abs(test.reduce(0, +) / Float(test.count)) > 1e-3)
        let preprocessing = try #require(prepared.imagePreprocessing)
        #expect(preprocessing.classNames == ["a", "b"])
        #expect(preprocessing.imageSize == [4, 4])
    }

    @Test func givenNormalizationAndSavedPreprocessingRepeatTheSamples() throws {
        let folder = try TemporaryFolder()
        let files = try ImageFixtures.classFolders(in: folder.url.appendingPathComponent("data"), classes: ["a", "b"], perClass: 4)
        let yaml = """
            data:
              images: data
              channels: 1
              image_size: [3, 5]
              normalize: {mean: [0.5], std: [0.25]}
              validation: 0
              test: 0
            model: [flatten, dense: 2]
            """
        let description = try TrainingDescription.parse(yaml: yaml, baseFolder: folder.url)
        let prepared = try description.data.prepare(seed: 0, baseFolder: folder.url)
        let preprocessing = try #require(prepared.imagePreprocessing)
        #expect(preprocessing.normalize.mean == [0.5] && preprocessing.normalize.std == [0.25])
        try preprocessing.write(into: folder.url)
        let read = try ImagePreprocessing.read(from: folder.url)
        #expect(read == preprocessing)
        var first = [Float](repeating: 0, count: 15)
        try first.withUnsafeMutableBufferPointer { try prepared.train.writeFeatures(of: 0, into: $0) }
        #expect(try read.features(of: files[0]) == first)
        let raw = try ImageCodec.read(files[0], channels: 1)
        let expected = BilinearResize.planarValues(of: raw, height: 3, width: 5).map { (($0 * 255).rounded() / 255 - 0.5) / 0.25 }
        #expect(zip(first, expected).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func descriptionErrorsNameTheKey() {
        let base = "model: [flatten, dense: 2]\n"
        let cases: [(String, String)] = [
            ("data: {images: x, image_size: [4, 4], scale: minmax}\n", "data.scale"),
            ("data: {images: x, image_size: [4]}\n", "data.image_size"),
            ("data: {images: x}\n", "image_size"),
            ("data: {images: x, image_size: [4, 4], channels: 2}\n", "data.channels"),
            ("data: {images: x, image_size: [4, 4], normalize: {mean: [0.5, 0.5], std: [1, 1]}}\n", "data.normalize"),
            ("data: {dataset: digits, normalize: auto}\n", "data.normalize"),
            ("data: {images: x, image_size: [4, 4], channels: 1, augmentation: {saturation: 0.2}}\n", "data.augmentation"),
        ]
        for (yaml, key) in cases {
            let error = TrainingDescriptionTests.error(base + yaml)
            #expect(error.map { "\($0)".contains(key) } == true, "\(yaml): \(String(describing: error))")
        }
    }

    @Test func augmentationOfDataThatAreNotImagesIsRefusedWhenTheFileIsRead() throws {
        let refused = TrainingDescriptionTests.error("""
            data: {dataset: breast_cancer, augmentation: {flip: 0.5}}
            model: [dense: 1]
            """)
        #expect(refused?.key == "data.augmentation")
        #expect(refused?.line == 1)
        #expect("\(String(describing: refused))".contains("images"))
        let flat = TrainingDescriptionTests.error("data: {dataset: digits, image_shape: [64], augmentation: {shift: 1}}\nmodel: [dense: 10]\n")
        #expect(flat?.key == "data.augmentation")
        let viewed = try TrainingDescription.parse(yaml: """
            data: {dataset: digits, image_shape: [1, 8, 8], augmentation: {shift: 1, rotation: 10, resized_crop: true, erasing: {probability: 0.3}}}
            model: [flatten, dense: 10]
            """)
        #expect(viewed.data.augmentation?.rotation == 10)
        #expect(viewed.data.augmentation?.resizedCrop == ImageAugmentation.ResizedCrop())
        #expect(viewed.data.augmentation?.erasing?.probability == 0.3)
    }
}
