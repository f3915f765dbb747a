import CImageCodecs
import Foundation

/// An 8-bit image: `height × width × channels` bytes, interleaved, row-major.
public struct DecodedImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// 1 (gray) or 3 (RGB).
    public let channels: Int
    public let pixels: [UInt8]

    /// An image; throws when the pixels do not fill the size.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) throws {
        guard width > 0, height > 0, channels == 1 || channels == 3, pixels.count == width * height * channels else {
            throw DataError.invalidArgument(
                op: "DecodedImage", detail: "\(pixels.count) bytes do not make a \(width)×\(height) image of \(channels) channels (1 or 3)")
        }
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }
}

/// PNG and JPEG files, decoded and encoded by libpng and libjpeg-turbo.
public enum ImageCodec {
    /// The file formats read and written.
    public enum Format: String, Sendable, CaseIterable {
        case png
        case jpeg
    }

    /// The format of a file's bytes by its signature, nil when it is neither PNG nor JPEG.
    public static func format(of bytes: [UInt8]) -> Format? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        return nil
    }

    /// Decodes a file's bytes to `channels` channels (1: gray, 3: RGB, converting as needed).
    /// Errors name `file` and say what was wrong.
    public static func decode(_ bytes: [UInt8], channels: Int, file: String) throws -> DecodedImage {
        guard channels == 1 || channels == 3 else {
            throw DataError.invalidArgument(op: "ImageCodec.decode", detail: "channels must be 1 or 3, not \(channels)")
        }
        guard let format = format(of: bytes) else {
            throw DataError.malformed(file: file, line: nil, column: nil, detail: "not a PNG or JPEG image (unknown signature)")
        }
        var image = swifttune_image()
        let decoded = bytes.withUnsafeBufferPointer { buffer in
            switch format {
            case .png: swifttune_png_decode(buffer.baseAddress, buffer.count, Int32(channels), &image)
            case .jpeg: swifttune_jpeg_decode(buffer.baseAddress, buffer.count, Int32(channels), &image)
            }
        }
        guard decoded == 1, let pixels = image.pixels else {
            throw DataError.malformed(file: file, line: nil, column: nil, detail: "corrupt \(format.rawValue.uppercased()) image: \(message(of: &image))")
        }
        defer { swifttune_image_free(pixels) }
        let count = Int(image.width) * Int(image.height) * Int(image.channels)
        return try DecodedImage(
            width: Int(image.width), height: Int(image.height), channels: Int(image.channels),
            pixels: Array(UnsafeBufferPointer(start: pixels, count: count)))
    }

    /// Reads and decodes the image file at `url`.
    public static func read(_ url: URL, channels: Int) throws -> DecodedImage {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: url))
        } catch {
            throw DataError.unreadable(file: url.path, reason: error.localizedDescription)
        }
        return try decode(bytes, channels: channels, file: url.path)
    }

    /// Encodes `image` as `format` (JPEG at `quality`, 1–100).
    public static func encode(_ image: DecodedImage, as format: Format, quality: Int = 95) throws -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: Int(SWIFTTUNE_IMAGE_MESSAGE_SIZE))
        let encoded = image.pixels.withUnsafeBufferPointer { pixels in
            switch format {
            case .png:
                swifttune_png_encode(
                    pixels.baseAddress, Int32(image.width), Int32(image.height), Int32(image.channels), &out, &size, &message)
            case .jpeg:
                swifttune_jpeg_encode(
                    pixels.baseAddress, Int32(image.width), Int32(image.height), Int32(image.channels),
                    Int32(min(max(quality, 1), 100)), &out, &size, &message)
            }
        }
        guard encoded == 1, let out else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw DataError.invalidArgument(op: "ImageCodec.encode", detail: "cannot encode \(format.rawValue): \(text)")
        }
        defer { swifttune_image_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }

    /// Encodes `image` (the format from the extension: `.png`, `.jpg` or `.jpeg`) and writes it to `url`.
    public static func write(_ image: DecodedImage, to url: URL, quality: Int = 95) throws {
        let format: Format = ["jpg", "jpeg"].contains(url.pathExtension.lowercased()) ? .jpeg : .png
        do {
            try Data(encode(image, as: format, quality: quality)).write(to: url)
        } catch let error as DataError {
            throw error
        } catch {
            throw DataError.unwritable(file: url.path, reason: error.localizedDescription)
        }
    }

    /// The message a failed decode left in `image`.
    private static func message(of image: inout swifttune_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
