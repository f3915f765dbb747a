import Foundation
import Testing
import Training

@Suite struct ImageCodecTests {
    @Test(arguments: [1, 3]) func pngRoundTripsExactly(channels: Int) throws {
        let image = try ImageFixtures.image(width: 5, height: 3, channels: channels)
        let bytes = try ImageCodec.encode(image, as: .png)
        #expect(ImageCodec.format(of: bytes) == .png)
        #expect(try ImageCodec.decode(bytes, channels: channels, file: "a.png") == image)
    }

    @Test(arguments: [1, 3]) func jpegRoundTripsClosely(channels: Int) throws {
        // A smooth image: JPEG at quality 100 keeps it within a few levels.
        let pixels = (0..<(16 * 16 * channels)).map { UInt8(($0 / channels % 16) * 8 + 40) }
        let image = try DecodedImage(width: 16, height: 16, channels: channels, pixels: pixels)
        let bytes = try ImageCodec.encode(image, as: .jpeg, quality: 100)
        #expect(ImageCodec.format(of: bytes) == .jpeg)
        let decoded = try ImageCodec.decode(bytes, channels: channels, file: "a.jpg")
        #expect(decoded.width == 16 && decoded.height == 16 && decoded.channels == channels)
        let worst = zip(decoded.pixels, image.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
        #expect(worst <= 4)
    }

    @Test func grayAndColorConvert() throws {
        let gray = try ImageFixtures.image(width: 3, height: 2, channels: 1)
        let asColor = try ImageCodec.decode(ImageCodec.encode(gray, as: .png), channels: 3, file: "g.png")
        #expect(asColor.channels == 3)
        #expect(asColor.pixels == gray.pixels.flatMap { [$0, $0, $0] })
        // Pure red, green and blue pixels become different grays, in luma order.
        let color = try DecodedImage(width: 3, height: 1, channels: 3, pixels: [255, 0, 0, 0, 255, 0, 0, 0, 255])
        let asGray = try ImageCodec.decode(ImageCodec.encode(color, as: .png), channels: 1, file: "c.png")
        #expect(asGray.channels == 1 && asGray.pixels.count == 3)
        #expect(asGray.pixels[1] > asGray.pixels[0] && asGray.pixels[0] > asGray.pixels[2])
    }

    /// Garbage and truncated files of both formats are errors that name the file.
    @Test func badFilesAreErrorsNamingTheFile() throws {
        let image = try ImageFixtures.image(width: 16, height: 16, channels: 3)
        let png = try ImageCodec.encode(image, as: .png)
        let jpeg = try ImageCodec.encode(image, as: .jpeg)
        let cases: [(String, [UInt8])] = [
            ("garbage.png", Array("not an image at all".utf8)),
            ("truncated.png", Array(png.prefix(png.count / 2))),
            ("truncated.jpg", Array(jpeg.prefix(jpeg.count / 2))),
            ("header-only.jpg", Array(jpeg.prefix(4))),
        ]
        for (name, bytes) in cases {
            do {
                _ = try ImageCodec.decode(bytes, channels: 3, file: name)
                Issue.record("\(name) decoded")
            } catch let error as DataError {
                #expect(error.description.contains(name), "\(error)")
            }
        }
    }
}
