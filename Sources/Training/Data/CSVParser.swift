/// One record of a CSV file: its fields and the line it starts on (1-based).
struct CSVRecord {
    let line: Int
    let fields: [String]
}

/// Splits CSV text into records (RFC 4180: quoted fields may hold delimiters, doubled quotes and
/// line breaks). Unquoted fields are trimmed of spaces; blank lines and a UTF-8 byte-order mark
/// are skipped; `\n` and `\r\n` both end a record.
enum CSVParser {
    private static let quote = UInt8(ascii: "\"")
    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    static func parse(_ bytes: [UInt8], delimiter: UInt8, file: String) throws -> [CSVRecord] {
        var records: [CSVRecord] = []
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        while index < bytes.count {
            let recordLine = line
            var fields: [String] = []
            var recordDone = false
            while !recordDone {
                let field: String
                skipBlanks(bytes, &index, delimiter: delimiter)
                if index < bytes.count, bytes[index] == quote {
                    field = try quotedField(bytes, &index, &line, file: file)
                    skipBlanks(bytes, &index, delimiter: delimiter)
                } else {
                    let start = index
                    while index < bytes.count, bytes[index] != delimiter, bytes[index] != newline, bytes[index] != carriageReturn {
                        if bytes[index] == quote {
                            throw DataError.malformed(
                                file: file, line: line, column: "\(fields.count + 1)",
                                detail: "a quote inside an unquoted field (quote the whole field and double the quote)")
                        }
                        index += 1
                    }
                    var end = index
                    while end > start, isBlank(bytes[end - 1], delimiter: delimiter) { end -= 1 }
                    field = String(decoding: bytes[start..<end], as: UTF8.self)
                }
                fields.append(field)
                if index >= bytes.count {
                    recordDone = true
                } else if bytes[index] == delimiter {
                    index += 1
                } else if bytes[index] == newline || bytes[index] == carriageReturn {
                    if bytes[index] == carriageReturn, index + 1 < bytes.count, bytes[index + 1] == newline { index += 1 }
                    index += 1
                    line += 1
                    recordDone = true
                } else {
                    throw DataError.malformed(
                        file: file, line: line, column: "\(fields.count)",
                        detail: "unexpected text after a closing quote")
                }
            }
            let isBlankLine = fields.count == 1 && fields[0].isEmpty
            if !isBlankLine { records.append(CSVRecord(line: recordLine, fields: fields)) }
        }
        return records
    }

    /// Reads a quoted field starting at its opening quote; leaves `index` after the closing quote.
    private static func quotedField(_ bytes: [UInt8], _ index: inout Int, _ line: inout Int, file: String) throws -> String {
        let startLine = line
        index += 1
        var content: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            if byte == quote {
                if index + 1 < bytes.count, bytes[index + 1] == quote {
                    content.append(quote)
                    index += 2
                    continue
                }
                index += 1
                return String(decoding: content, as: UTF8.self)
            }
            if byte == newline { line += 1 }
            content.append(byte)
            index += 1
        }
        throw DataError.malformed(file: file, line: startLine, column: nil, detail: "a quoted field is never closed")
    }

    private static func isBlank(_ byte: UInt8, delimiter: UInt8) -> Bool {
        (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")) && byte != delimiter
    }

    private static func skipBlanks(_ bytes: [UInt8], _ index: inout Int, delimiter: UInt8) {
        while index < bytes.count, isBlank(bytes[index], delimiter: delimiter) { index += 1 }
    }
}
