import Dispatch
import Foundation

extension ImageSamples {
    /// Decodes every file of `list` once, on all cores, to check it and to sum its pixels; keeps
    /// the decoded images that fit in `cacheLimit` bytes. A file that cannot be read or decoded
    /// is an error naming it, or with `skipBadFiles` is left out after `warn` names it. Returns a
    /// classification data set (class names from the list) whose source is the samples,
    /// unnormalized (values in [0, 1]).
    public static func load(
        _ list: ImageFileList, settings: ImageSettings, skipBadFiles: Bool, cacheLimit: Int,
        warn: (String) -> Void = { _ in }
    ) throws -> Dataset {
        let cache = DecodedImageCache(count: list.files.count, limit: cacheLimit)
        let outcomes = decodeAll(list.files, settings: settings, cache: cache)
        var kept: [Int] = []
        var sums: [ChannelSums] = []
        for (index, outcome) in outcomes.enumerated() {
            switch outcome {
            case let .success(imageSums):
                kept.append(index)
                sums.append(imageSums)
            case let .failure(error):
                guard skipBadFiles else { throw error }
                warn("warning: skipping \(list.files[index].path): \(Self.reason(error))")
            }
        }
        guard !kept.isEmpty else {
            throw DataError.invalidArgument(op: "images", detail: "none of the \(list.files.count) image files could be read")
        }
        // Kept files are renumbered; the cache follows them.
        let keptCache = DecodedImageCache(count: kept.count, limit: cacheLimit)
        for (position, file) in kept.enumerated() {
            if let image = cache.image(file) { keptCache.store(image, for: position) }
        }
        let samples = ImageSamples(
            files: kept.map { list.files[$0] }, settings: settings, normalization: .identity(channels: settings.channels),
            indices: Array(kept.indices), cache: keptCache, sums: sums)
        return try Dataset(
            source: samples, featureShape: settings.featureShape, targets: kept.map { Float(list.labels[$0]) },
            task: .classification(classNames: list.classNames))
    }

    /// Each file's pixel sums or its error, decoding files concurrently.
    private static func decodeAll(
        _ files: [URL], settings: ImageSettings, cache: DecodedImageCache
    ) -> [Result<ChannelSums, DataError>] {
        let results = OutcomeList(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            do {
                let bytes = try decode(files[index], settings: settings)
                cache.store(bytes, for: index)
                results.set(index, .success(ChannelSums(planar: bytes, channels: settings.channels)))
            } catch let error as DataError {
                results.set(index, .failure(error))
            } catch {
                results.set(index, .failure(.unreadable(file: files[index].path, reason: "\(error)")))
            }
        }
        return results.values
    }

    /// The part of a decoding error after the file name.
    private static func reason(_ error: DataError) -> String {
        switch error {
        case let .unreadable(_, reason): reason
        case let .malformed(_, _, _, detail): detail
        default: error.description
        }
    }
}

/// Results written by concurrent decoders, one slot each.
private final class OutcomeList: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<ChannelSums, DataError>]

    init(count: Int) {
        slots = Array(repeating: .success(.zero(channels: 0)), count: count)
    }

    func set(_ index: Int, _ value: Result<ChannelSums, DataError>) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    var values: [Result<ChannelSums, DataError>] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}
