import Foundation
import Synchronization

/// A command's standard output and error, read on a thread of its own until both end or
/// `finish` stops waiting for them: every byte is appended to the trial's log file (when there is
/// one), output lines go to `onLine` as they come, and the end of the error output is kept for
/// failure reasons. Time is linear and memory bounded in what the command prints.
final class CommandOutput: Sendable {
    /// Bytes kept of each output line (a value or a `step N value V` line is far shorter).
    static let keptLineBytes = 4096
    /// Bytes kept of the end of the error output, and the lines of it a failure reason shows.
    static let keptErrorBytes = 8192
    static let errorTailLines = 20
    private static let chunkBytes = 1 << 16

    private struct State {
        var lastLine: LineSplitter.Line?
        var errorEnd: [UInt8] = []
        var errorCut = false
        var logFailure: String?
    }

    private let state = Mutex(State())
    private let ended = OneTimeEvent<Bool>()
    private let stopRequested = Atomic<Bool>(false)

    /// Starts reading `output` and `error` (read ends of pipes, closed when reading ends) and
    /// appending them to `log` (closed then too).
    init(output: Int32, error: Int32, log: Int32?, onLine: @escaping @Sendable (LineSplitter.Line) -> Void) {
        Thread.detachNewThread { [self] in
            read(output: output, error: error, log: log, onLine: onLine)
        }
    }

    /// Waits up to `seconds` for both streams to end (a process the command left behind, outside
    /// its process group, may hold them open), then stops reading; returns once reading stopped.
    func finish(within seconds: Double) async {
        guard await ended.wait(upTo: seconds) == nil else { return }
        stopRequested.store(true, ordering: .relaxed)
        _ = await ended.wait()
    }

    /// The last output line that is not blank, trimmed.
    var lastLine: LineSplitter.Line? { state.withLock { $0.lastLine } }

    /// The last lines of the error output, trimmed ("" when there was none); starts with `…`
    /// when older output was dropped.
    var errorTail: String {
        // Up to twice the kept bytes are held (dropped in batches); show only the kept ones.
        let (bytes, cut) = state.withLock { state in
            (state.errorEnd.suffix(Self.keptErrorBytes), state.errorCut || state.errorEnd.count > Self.keptErrorBytes)
        }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let tail = lines.suffix(Self.errorTailLines).joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return tail.isEmpty || !(cut || lines.count > Self.errorTailLines) ? tail : "…" + tail
    }

    /// Why the log file is incomplete, if writing it failed.
    var logFailure: String? { state.withLock { $0.logFailure } }

    private func read(output: Int32, error: Int32, log: Int32?, onLine: (LineSplitter.Line) -> Void) {
        var streams = [pollfd(fd: output, events: Int16(POLLIN), revents: 0), pollfd(fd: error, events: Int16(POLLIN), revents: 0)]
        var splitter = LineSplitter(keptBytes: Self.keptLineBytes)
        var log = log
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.chunkBytes, alignment: 1)
        defer { buffer.deallocate() }
        let handle = { (line: LineSplitter.Line) in
            self.note(line)
            onLine(line)
        }
        // Polling with a time limit lets `finish` stop a read that would never end.
        while streams.contains(where: { $0.fd >= 0 }), !stopRequested.load(ordering: .relaxed) {
            if poll(&streams, nfds_t(streams.count), 100) < 0, errno != EINTR { break }
            for index in streams.indices where streams[index].fd >= 0 && streams[index].revents != 0 {
                let count = Foundation.read(streams[index].fd, buffer, Self.chunkBytes)
                if count < 0, errno == EINTR || errno == EAGAIN { continue }
                guard count > 0 else {
                    _ = close(streams[index].fd)
                    streams[index].fd = -1
                    continue
                }
                let chunk = UnsafeRawBufferPointer(start: buffer, count: count)
                if let descriptor = log, !append(chunk, to: descriptor) {
                    _ = close(descriptor)
                    log = nil
                }
                if index == 0 {
                    splitter.feed(chunk, onLine: handle)
                } else {
                    keepErrorEnd(chunk)
                }
            }
        }
        for stream in streams where stream.fd >= 0 { _ = close(stream.fd) }
        if let log { _ = close(log) }
        splitter.finish(onLine: handle)
        ended.fire(true)
    }

    private func note(_ line: LineSplitter.Line) {
        let trimmed = line.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return }
        state.withLock { $0.lastLine = LineSplitter.Line(text: trimmed, length: line.length, isCut: line.isCut) }
    }

    private func keepErrorEnd(_ chunk: UnsafeRawBufferPointer) {
        state.withLock { state in
            if chunk.count > Self.keptErrorBytes { state.errorCut = true }
            state.errorEnd.append(contentsOf: chunk.suffix(Self.keptErrorBytes))
            // Dropping in batches keeps appending linear.
            if state.errorEnd.count > 2 * Self.keptErrorBytes {
                state.errorEnd.removeFirst(state.errorEnd.count - Self.keptErrorBytes)
                state.errorCut = true
            }
        }
    }

    /// Writes all of `chunk`; on failure records why and returns false.
    private func append(_ chunk: UnsafeRawBufferPointer, to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < chunk.count {
            let written = write(descriptor, chunk.baseAddress.map { $0 + offset }, chunk.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                let reason = String(cString: strerror(errno))
                state.withLock { $0.logFailure = reason }
                return false
            }
            offset += written
        }
        return true
    }
}
