import Foundation
import Testing
import Training

/// The limits every YAML file SwiftTune reads is held to: size, alias expansion and nesting.
@Suite struct YAMLLimitsTests {
    /// A "billion laughs" document: list `a0` holds `width` scalars, and each list after it holds
    /// `width` aliases of the one before, so the last expands to `width^levels` scalars.
    static func aliasBomb(levels: Int, width: Int) -> String {
        var lines = ["a0: &a0 [" + Array(repeating: "lol", count: width).joined(separator: ",") + "]"]
        for level in 1..<levels {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: width).joined(separator: ",") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What parsing `yaml` as a training description says, or "accepted".
    static func message(_ yaml: String, file: String = "t.yaml") -> String {
        do {
            _ = try TrainingDescription.parse(yaml: yaml, file: file)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test func anAliasBombIsRefusedBeforeItIsExpanded() {
        // 8^7 ≈ 2.1 million scalars, which the reader without limits built one by one. The sixth
        // line's second alias takes the values aliases add past 100,000.
        let yaml = Self.aliasBomb(levels: 7, width: 8)
        #expect(Self.message(yaml, file: "bomb.yaml")
            == "bomb.yaml:6:14: the aliases (*name) expand to more than 100000 values, the most a YAML file may have")
    }

    @Test func aliasesWithinTheLimitStillWork() throws {
        let description = try TrainingDescription.parse(yaml: """
            data: {dataset: digits}
            model:
              - dense: {units: &width 32, activation: relu}
              - dense: {units: *width}
            """)
        #expect(description.model.layers[1] == .dense(units: 32, activation: nil, initializer: nil, useBias: true))
    }

    @Test func aTextOverOneMebibyteIsRefused() {
        let yaml = "data: {dataset: digits}\nmodel: [flatten]\n"
        let largest = yaml + String(repeating: "#", count: YAMLLimits.maximumBytes - yaml.utf8.count - 1) + "\n"
        #expect(largest.utf8.count == 1 << 20)
        #expect(Self.message(largest) == "accepted")
        #expect(Self.message(largest + " ", file: "big.yaml")
            == "big.yaml: the file is larger than 1 MiB (1048576 bytes), the most a YAML file may have")
    }

    @Test func aFileOverOneMebibyteIsRefusedWithoutReadingItAll() throws {
        let folder = try TemporaryFolder()
        let url = try folder.write(Array(repeating: UInt8(ascii: "\n"), count: 3 * YAMLLimits.maximumBytes), to: "big.yaml")
        #expect {
            try TrainingDescription.load(url)
        } throws: { error in
            "\(error)" == "\(url.path): the file is larger than 1 MiB (1048576 bytes), the most a YAML file may have"
        }
    }

    @Test func nestingDeeperThanTheLimitIsRefused() {
        func nested(_ depth: Int) -> String {
            String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        }
        #expect(Self.message(nested(YAMLLimits.maximumDepth))
            == "t.yaml:1:1: expected a mapping with the keys seed, data, model, training, compression, init, freeze, fine_tune, found a list")
        #expect(Self.message(nested(YAMLLimits.maximumDepth + 1))
            == "t.yaml:1:65: lists and mappings nest more than 64 deep, the most a YAML file may have")
    }
}
