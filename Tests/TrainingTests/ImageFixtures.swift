import Foundation
import Training

/// Small image files written by the tests through libpng and libjpeg.
enum ImageFixtures {
    /// A `width × height` image whose byte at (y, x, c) is `(37 · y + 11 · x + 80 · c + seed) mod 256`.
    static func image(width: Int, height: Int, channels: Int, seed: Int = 0) throws -> DecodedImage {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                for channel in 0..<channels { pixels.append(UInt8((37 * y + 11 * x + 80 * channel + seed) % 256)) }
            }
        }
        return try DecodedImage(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// A class folder layout in `folder`: `classes[i]` holds `perClass` PNG images (4×4 gray,
    /// brightness by class and index), named `0.png`, `1.png`, ...
    @discardableResult
    static func classFolders(in folder: URL, classes: [String], perClass: Int, channels: Int = 1) throws -> [URL] {
        var files: [URL] = []
        for (label, name) in classes.enumerated() {
            let classFolder = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: classFolder, withIntermediateDirectories: true)
            for index in 0..<perClass {
                let file = classFolder.appendingPathComponent("\(index).png")
                try ImageCodec.write(image(width: 4, height: 4, channels: channels, seed: 50 * label + 7 * index), to: file)
                files.append(file)
            }
        }
        return files
    }
}
