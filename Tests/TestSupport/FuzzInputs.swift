import Foundation

/// What the fuzz tests start from and check against: the repository's example and documentation
/// files, and a snapshot of the repository's files to prove that a fuzz run wrote none.
public enum FuzzInputs {
    /// The repository root (this file is `Tests/TestSupport/FuzzInputs.swift`).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `cases` times `SWIFTTUNE_FUZZ_SCALE` (1 when unset): a longer run continues the same
    /// sequence of cases, for hunting traps by hand.
    public static func caseCount(_ cases: Int) -> Int {
        cases * max(1, Int(ProcessInfo.processInfo.environment["SWIFTTUNE_FUZZ_SCALE"] ?? "") ?? 1)
    }

    /// The contents of `examples/<name>` for each name, by name.
    public static func examples(_ names: [String]) throws -> [(name: String, text: String)] {
        try names.map { name in
            (name, try String(contentsOf: repositoryRoot.appendingPathComponent("examples/\(name)"), encoding: .utf8))
        }
    }

    /// Every fenced code block of `docs/*.md`, named `file#index`.
    public static func documentationBlocks() throws -> [(name: String, text: String)] {
        let docs = repositoryRoot.appendingPathComponent("docs")
        var blocks: [(String, String)] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: docs.path).sorted() where file.hasSuffix(".md") {
            let text = try String(contentsOf: docs.appendingPathComponent(file), encoding: .utf8)
            var current: [Substring]?
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("```") {
                    if let lines = current {
                        blocks.append(("\(file)#\(blocks.count)", lines.joined(separator: "\n") + "\n"))
                        current = nil
                    } else {
                        current = []
                    }
                } else {
                    current?.append(line)
                }
            }
        }
        return blocks
    }

    /// Every file under the repository root (outside `.build` and `.git`) with its size and
    /// modification date: equal snapshots before and after a run mean it wrote nothing there.
    public static func repositorySnapshot() -> [String: String] {
        var snapshot: [String: String] = [:]
        let keys: [URLResourceKey] = [.fileSizeKey, .contentModificationDateKey]
        guard let walker = FileManager.default.enumerator(at: repositoryRoot, includingPropertiesForKeys: keys) else {
            return snapshot
        }
        for case let url as URL in walker {
            if [".build", ".git"].contains(url.lastPathComponent) {
                walker.skipDescendants()
                continue
            }
            let values = try? url.resourceValues(forKeys: Set(keys))
            snapshot[url.path] = "\(values?.fileSize ?? -1) \(values?.contentModificationDate?.timeIntervalSince1970 ?? 0)"
        }
        return snapshot
    }
}
