import Foundation

/// The tokens of a text data set, each with its id: the padding token is 0, the unknown token
/// 1, then the words of the training texts, most frequent first (ties in alphabetical order).
/// A run keeps it as `vocabulary.json` so that prediction encodes new texts the same way.
public struct Vocabulary: Sendable, Equatable, Codable {
    /// The token that fills sequences up to their length (id 0).
    public static let paddingToken = "<pad>"
    /// The token that stands for words outside the vocabulary (id 1).
    public static let unknownToken = "<unk>"
    public static let paddingID = 0
    public static let unknownID = 1

    /// Every token, by id.
    public let tokens: [String]
    /// Whether texts are lowercased before they are split into words.
    public let lowercase: Bool
    private let ids: [String: Int]

    /// A vocabulary of `tokens` (the first two must be the padding and unknown tokens).
    public init(tokens: [String], lowercase: Bool) throws {
        guard tokens.count >= 2, tokens[0] == Self.paddingToken, tokens[1] == Self.unknownToken else {
            throw DataError.invalidArgument(
                op: "Vocabulary", detail: "the first tokens must be \(Self.paddingToken) and \(Self.unknownToken), found \(tokens.prefix(2))")
        }
        var ids: [String: Int] = [:]
        for (id, token) in tokens.enumerated() where ids.updateValue(id, forKey: token) != nil {
            throw DataError.invalidArgument(op: "Vocabulary", detail: "token '\(token)' appears twice")
        }
        self.tokens = tokens
        self.lowercase = lowercase
        self.ids = ids
    }

    /// The words of `texts` that occur at least `minFrequency` times, at most `maxSize` tokens
    /// in all (the padding and unknown tokens included).
    public static func build(from texts: [String], maxSize: Int, minFrequency: Int, lowercase: Bool) throws -> Vocabulary {
        guard maxSize >= 2, minFrequency >= 1 else {
            throw DataError.invalidArgument(
                op: "Vocabulary", detail: "the size (\(maxSize)) must be at least 2 and the minimum frequency (\(minFrequency)) at least 1")
        }
        var counts: [String: Int] = [:]
        for text in texts {
            for word in words(of: text, lowercase: lowercase) { counts[word, default: 0] += 1 }
        }
        let kept = counts.filter { $0.value >= minFrequency && $0.key != paddingToken && $0.key != unknownToken }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(maxSize - 2).map(\.key)
        return try Vocabulary(tokens: [paddingToken, unknownToken] + kept, lowercase: lowercase)
    }

    /// Number of tokens (the size an embedding's table needs).
    public var count: Int { tokens.count }

    /// The words of `text`: runs of letters, digits and apostrophes.
    public static func words(of text: String, lowercase: Bool) -> [String] {
        let source = lowercase ? text.lowercased() : text
        return source.split { !($0.isLetter || $0.isNumber || $0 == "'") }.map(String.init)
    }

    /// The ids of the words of `text` (unknown words as 1).
    public func ids(of text: String) -> [Int] {
        Self.words(of: text, lowercase: lowercase).map { ids[$0] ?? Self.unknownID }
    }

    /// `text` as `length` ids, padded or cut as `sequence` says.
    public func encode(_ text: String, as sequence: SequenceShape) -> [Float] {
        sequence.fitted(ids(of: text))
    }

    /// Writes the vocabulary as JSON.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(self).write(to: url, options: .atomic)
        } catch {
            throw DataError.unwritable(file: url.path, reason: "\(error)")
        }
    }

    /// Reads a vocabulary that `write(to:)` wrote.
    public static func load(from url: URL) throws -> Vocabulary {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw DataError.unreadable(file: url.path, reason: "\(error)") }
        do {
            return try JSONDecoder().decode(Vocabulary.self, from: data)
        } catch let error as DataError {
            throw DataError.malformed(file: url.path, line: nil, column: nil, detail: "\(error)")
        } catch {
            throw DataError.malformed(file: url.path, line: nil, column: nil, detail: "not a vocabulary: \(error)")
        }
    }

    private enum CodingKeys: String, CodingKey { case tokens, lowercase }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(tokens: container.decode([String].self, forKey: .tokens), lowercase: container.decode(Bool.self, forKey: .lowercase))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tokens, forKey: .tokens)
        try container.encode(lowercase, forKey: .lowercase)
    }
}

/// How token sequences are brought to one length: padded with id 0 at the start (`pre`, so the
/// last step of a recurrent layer sees the last token) or the end (`post`); longer ones keep
/// their first `length` tokens.
public struct SequenceShape: Sendable, Equatable, Codable {
    public enum Padding: String, Sendable, Equatable, Codable, CaseIterable {
        case pre
        case post
    }

    public var length: Int
    public var padding: Padding

    public init(length: Int, padding: Padding = .pre) {
        self.length = length
        self.padding = padding
    }

    /// `ids` cut to `length` and padded with 0.
    public func fitted(_ ids: [Int]) -> [Float] {
        let kept = ids.prefix(length).map(Float.init)
        let fill = [Float](repeating: Float(Vocabulary.paddingID), count: length - kept.count)
        return padding == .pre ? fill + kept : kept + fill
    }
}
