extension SequenceSource {
    /// The `dataset` values of sequence data: texts or ids in a CSV file, and the bundled text sets.
    static let kinds = ["text", "sequences"] + BundledTextDataset.allCases.map(\.rawValue)

    /// Reads `dataset: text|sequences|<bundled>` with `path`, `column`, `target`, `task`,
    /// `delimiter` and `sequence: {length, padding, max_vocabulary, min_frequency, lowercase}`.
    static func parse(kind: String, _ fields: YAMLMapping, at node: YAMLValue) throws -> SequenceSource {
        for key in ["image_shape", "augmentation", "folder", "scale"] {
            if let value = fields[key] { throw value.error("\(key) does not apply to sequence data (token ids are never scaled)") }
        }
        let bundled = BundledTextDataset(rawValue: kind)
        let file: File
        if let bundled {
            if let path = fields["path"] { throw path.error("\(kind) is bundled; it takes no path") }
            file = .bundled(bundled)
        } else {
            file = .path(try fields.required("path").string())
        }
        let sequenceNode = try fields.required("sequence")
        let isText = kind != "sequences"
        let settings = try sequenceNode.mapping(
            allowedKeys: isText ? ["length", "padding", "max_vocabulary", "min_frequency", "lowercase"] : ["length", "padding"])
        let content: Content = isText
            ? .text(
                maxVocabulary: try settings["max_vocabulary"]?.int(min: 2) ?? 10000, minFrequency: try settings["min_frequency"]?.int(min: 1) ?? 1,
                lowercase: try settings["lowercase"]?.bool() ?? true)
            : .ids
        let delimiter = try fields["delimiter"]?.string() ?? ","
        guard delimiter.count == 1, let character = delimiter.first, character.isASCII else {
            throw (fields["delimiter"] ?? node).error("the delimiter must be one ASCII character")
        }
        return SequenceSource(
            file: file, content: content,
            column: try fields["column"].map(Self.column) ?? (bundled == nil ? .index(0) : .name("text")),
            target: try fields["target"].map(Self.column) ?? .last,
            classification: (try fields["task"]?.choice(["classification", "regression"]) ?? "classification") == "classification",
            delimiter: character,
            shape: SequenceShape(
                length: try settings.required("length").int(min: 1, max: 100_000),
                padding: try settings["padding"]?.choice(SequenceShape.Padding.self) ?? .pre))
    }

    /// A column by its header name or 0-based index.
    private static func column(_ node: YAMLValue) throws -> CSVOptions.Column {
        if case let .scalar(text, quoted, _) = node.tree, !quoted, let index = Int(text) { return .index(index) }
        return .name(try node.string())
    }
}
