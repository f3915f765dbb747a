import Foundation
import Testing
import Training

@Suite struct IDXTests {
    /// Two 2×3 images of unsigned bytes.
    static let images: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3] + [0, 51, 102, 153, 204, 255, 255, 0, 0, 0, 0, 1]
    /// Labels 7 and 3.
    static let labels: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 2, 7, 3]
    /// `images`, gzip-compressed by Python's gzip module.
    static let imagesGzip: [UInt8] = [
        0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xFF, 0x63, 0x60, 0xE0, 0x60, 0x66, 0x60, 0x60, 0x60,
        0x82, 0x62, 0x66, 0x06, 0xE3, 0xB4, 0x99, 0x67, 0xFE, 0xFF, 0x07, 0x32, 0x19, 0x18, 0x01, 0x2F, 0x3F, 0x3D,
        0x4A, 0x1C, 0x00, 0x00, 0x00,
    ]
    /// `labels`, gzip-compressed.
    static let labelsGzip: [UInt8] = [
        0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xFF, 0x63, 0x60, 0xE0, 0x60, 0x64, 0x60, 0x60, 0x60,
        0x62, 0x67, 0x06, 0x00, 0x64, 0x6B, 0xD4, 0x43, 0x0A, 0x00, 0x00, 0x00,
    ]
    /// "x,y\n1,2\n" and "3,4\n" as two concatenated gzip members.
    static let twoMemberCSVGzip: [UInt8] = [
        0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xFF, 0xAB, 0xD0, 0xA9, 0xE4, 0x32, 0xD4, 0x31, 0xE2,
        0x02, 0x00, 0x23, 0xDF, 0x72, 0x00, 0x08, 0x00, 0x00, 0x00, 0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x02, 0xFF, 0x33, 0xD6, 0x31, 0xE1, 0x02, 0x00, 0x3E, 0x2D, 0x72, 0xA9, 0x04, 0x00, 0x00, 0x00,
    ]

    @Test func parsesUnsignedBytes() throws {
        let array = try IDXFile.parse(Self.images, file: "images")
        #expect(array.shape == [2, 2, 3])
        #expect(array.values == [0, 51, 102, 153, 204, 255, 255, 0, 0, 0, 0, 1])
    }

    @Test func parsesBigEndianFloatsAndSignedIntegers() throws {
        let floats: [UInt8] = [0, 0, 0x0D, 1, 0, 0, 0, 2] + [0x3F, 0xC0, 0, 0] + [0xC0, 0x20, 0, 0]
        #expect(try IDXFile.parse(floats, file: "f").values == [1.5, -2.5])
        let shorts: [UInt8] = [0, 0, 0x0B, 1, 0, 0, 0, 2] + [0xFF, 0xFE] + [0x01, 0x00]
        #expect(try IDXFile.parse(shorts, file: "s").values == [-2, 256])
    }

    @Test func rejectsBadHeadersAndSizes() {
        #expect(throws: DataError.malformed(file: "x", line: nil, column: nil, detail: "not an IDX file (it must start with two zero bytes)")) {
            try IDXFile.parse([1, 2, 3, 4], file: "x")
        }
        #expect(throws: DataError.malformed(file: "x", line: nil, column: nil, detail: "unknown IDX element type 0x7")) {
            try IDXFile.parse([0, 0, 7, 1, 0, 0, 0, 1, 0], file: "x")
        }
        #expect(throws: DataError.malformed(
            file: "x", line: nil, column: nil, detail: "shape [2, 2, 3] of unsigned bytes needs 28 bytes, the file has 27")) {
            try IDXFile.parse(Array(Self.images.dropLast()), file: "x")
        }
    }

    @Test func loadsGzipAndPlainMNISTFilesFromAFolder() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write(Self.imagesGzip, to: "t10k-images-idx3-ubyte.gz")
        _ = try folder.write(Self.labels, to: "t10k-labels-idx1-ubyte")
        let data = try MNIST.load(folder: folder.url, split: .test)
        #expect(data.featureShape == [1, 2, 3])
        #expect(data.targets == [7, 3])
        #expect(data.classNames == MNIST.digitClassNames)
        #expect(data.features[5] == 1)
        #expect(abs(data.features[1] - 0.2) < 1e-6)

        let labelsGz = try folder.write(Self.labelsGzip, to: "labels.gz")
        let fashion = try MNIST.load(
            images: folder.url.appendingPathComponent("t10k-images-idx3-ubyte.gz"), labels: labelsGz,
            classNames: MNIST.fashionClassNames, pixelScale: 1)
        #expect(fashion.features[5] == 255)
        #expect(fashion.classNames[7] == "Sneaker")
    }

    @Test func mismatchedLabelsAndMissingFilesAreReported() throws {
        let folder = try TemporaryFolder()
        let images = try folder.write(Self.images, to: "images")
        let labels = try folder.write([0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3], to: "labels")
        #expect(throws: DataError.malformed(
            file: labels.path, line: nil, column: nil, detail: "labels of shape [3] do not match 2 images")) {
            try MNIST.load(images: images, labels: labels)
        }
        #expect(throws: DataError.self) { try MNIST.load(folder: folder.url, split: .train) }
    }

    @Test func concatenatedGzipMembersAreJoined() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write(Self.twoMemberCSVGzip, to: "data.csv.gz")
        let data = try Dataset.loadCSV(file, options: CSVOptions(targetKind: .regression))
        #expect(data.features == [1, 3])
        #expect(data.targets == [2, 4])
    }

    @Test func truncatedGzipIsAnError() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write(Array(Self.imagesGzip.prefix(25)), to: "cut.gz")
        #expect(throws: DataError.malformed(file: file.path, line: nil, column: nil, detail: "gzip data ends early (truncated file)")) {
            try IDXFile.read(file)
        }
    }
}
