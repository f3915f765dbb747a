import Foundation
// libyaml, which Yams wraps: its event parser walks a document without building it. Yams itself
// offers no event API, and its composer hashes every mapping key, so an alias to a large node
// used as a key costs time exponential in the file's size before any of SwiftTune's code runs.
internal import CYaml

/// What a YAML file may hold: its size, the values its aliases add, and how deep it nests.
/// Checked before the document is built, so a "billion laughs" alias bomb or a file of a
/// million `[` fails at once with a message instead of taking the memory or the stack.
package enum YAMLLimits {
    /// The most bytes a file may have (1 MiB).
    package static let maximumBytes = 1 << 20
    /// The most values (scalars, lists and mappings) that expanding the file's aliases may add.
    package static let maximumAliasValues = 100_000
    /// The most lists and mappings that may be open at one point.
    package static let maximumDepth = 64

    /// Throws when `yaml` exceeds a limit. Syntax errors are left to the parser that builds the
    /// document, which names them.
    static func check(_ yaml: String, file: String) throws {
        guard yaml.utf8.count <= maximumBytes else { throw tooLarge(file: file) }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(yaml.utf8)
        try bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var counter = ExpansionCounter()
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                guard event.type != YAML_STREAM_END_EVENT else { return }
                if let problem = counter.count(event) {
                    let mark = event.start_mark
                    throw DescriptionError(
                        file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1, key: "", detail: problem)
                }
            }
        }
    }

    /// The error for a text or file over `maximumBytes`.
    package static func tooLarge(file: String) -> DescriptionError {
        DescriptionError(
            file: file, line: nil, column: nil, key: "",
            detail: "the file is larger than 1 MiB (\(maximumBytes) bytes), the most a YAML file may have")
    }

    /// Reads the text of the file at `url`, refusing files over `maximumBytes` without reading
    /// more than that.
    package static func text(contentsOf url: URL) throws -> String {
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
        } catch {
            throw DescriptionError(file: url.path, line: nil, column: nil, key: "", detail: "cannot read the file: \(error.localizedDescription)")
        }
        guard data.count <= maximumBytes else { throw tooLarge(file: url.path) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DescriptionError(file: url.path, line: nil, column: nil, key: "", detail: "the file is not UTF-8 text")
        }
        return text
    }
}

/// Counts, event by event, the values a document has once its aliases are expanded: each
/// anchor's size is known when its node ends, and an alias adds that many.
private struct ExpansionCounter {
    /// Values before the current point, aliases expanded.
    private var total = 0
    /// Values added by aliases so far.
    private var aliasValues = 0
    /// The open lists and mappings: their anchors and `total` where they began.
    private var open: [(anchor: String?, start: Int)] = []
    private var sizes: [String: Int] = [:]

    /// Counts one event; returns the problem when it takes the document over a limit.
    mutating func count(_ event: yaml_event_t) -> String? {
        switch event.type {
        case YAML_SCALAR_EVENT:
            total += 1
            if let anchor = Self.name(event.data.scalar.anchor) { sizes[anchor] = 1 }
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            let anchor = Self.name(event.type == YAML_SEQUENCE_START_EVENT ? event.data.sequence_start.anchor : event.data.mapping_start.anchor)
            open.append((anchor, total))
            total += 1
            if open.count > YAMLLimits.maximumDepth {
                return "lists and mappings nest more than \(YAMLLimits.maximumDepth) deep, the most a YAML file may have"
            }
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            if let node = open.popLast(), let anchor = node.anchor { sizes[anchor] = total - node.start }
        case YAML_ALIAS_EVENT:
            // An alias of an unknown anchor is a syntax error that the parser reports.
            let size = Self.name(event.data.alias.anchor).flatMap { sizes[$0] } ?? 0
            total += size
            aliasValues += size
            if aliasValues > YAMLLimits.maximumAliasValues {
                return "the aliases (*name) expand to more than \(YAMLLimits.maximumAliasValues) values, the most a YAML file may have"
            }
        default:
            break
        }
        return nil
    }

    private static func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        anchor.map { String(cString: $0) }
    }
}
