/// Splits a byte stream into lines, keeping at most `keptBytes` of each line: a line of any length
/// costs time linear in its length and memory of `keptBytes`.
struct LineSplitter {
    /// One line of output, without its newline.
    struct Line: Equatable {
        /// The line's first `keptBytes` bytes, as text.
        var text: String
        /// Its whole length in bytes.
        var length: Int
        /// Whether `text` is only the start of the line.
        var isCut: Bool
    }

    let keptBytes: Int
    private var kept: [UInt8] = []
    private var length = 0

    init(keptBytes: Int) {
        self.keptBytes = keptBytes
    }

    /// Reads `bytes`, calling `onLine` for each line they end.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, onLine: (Line) -> Void) {
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n"))
            let end = newline ?? bytes.endIndex
            let room = max(keptBytes - kept.count, 0)
            kept.append(contentsOf: bytes[start..<min(end, start + room)])
            length += end - start
            guard let newline else { return }
            onLine(takeLine())
            start = newline + 1
        }
    }

    /// Ends the stream: an unfinished last line is a line too.
    mutating func finish(onLine: (Line) -> Void) {
        if length > 0 { onLine(takeLine()) }
    }

    private mutating func takeLine() -> Line {
        defer {
            kept.removeAll(keepingCapacity: true)
            length = 0
        }
        return Line(text: String(decoding: kept, as: UTF8.self), length: length, isCut: length > kept.count)
    }
}
