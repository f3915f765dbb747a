import Training

extension StudyFile {
    /// Reads `direction:` (one objective, default minimize) or `directions:` (a list, one per
    /// objective); a file may have one of them.
    static func readDirections(_ fields: YAMLMapping) throws -> [StudyDirection] {
        guard let list = fields["directions"] else {
            return [try fields["direction"]?.choice(StudyDirection.self) ?? .minimize]
        }
        if let single = fields["direction"] { throw single.error("give either direction or directions, not both") }
        let directions = try list.sequence().map { try $0.choice(StudyDirection.self) }
        guard !directions.isEmpty else { throw list.error("the list of directions is empty") }
        return directions
    }
}
