import Foundation

/// Decoded images (planar bytes) kept in memory up to a byte limit, shared by the parts of an
/// image data set and read from the loader's prefetch thread. Images past the limit are not
/// kept: their files are decoded again whenever a batch needs them.
final class DecodedImageCache: @unchecked Sendable {
    private let lock = NSLock()
    private var images: [[UInt8]?]
    private let limit: Int
    private var used = 0

    /// A cache for `count` files holding at most `limit` bytes of pixels.
    init(count: Int, limit: Int) {
        images = Array(repeating: nil, count: count)
        self.limit = limit
    }

    /// The kept image of file `index`, if any.
    func image(_ index: Int) -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        return images[index]
    }

    /// Keeps the image of file `index` when it fits under the limit.
    func store(_ image: [UInt8], for index: Int) {
        lock.lock()
        defer { lock.unlock() }
        guard images[index] == nil, used + image.count <= limit else { return }
        images[index] = image
        used += image.count
    }

    /// How many images are kept.
    var keptCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return images.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
    }
}
