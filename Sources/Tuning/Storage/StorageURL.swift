/// Opens a storage from its URL: `sqlite:PATH` (or a path ending in `.db` or `.sqlite`),
/// `memory:`, or `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`.
public enum StorageURL {
    public static func open(_ url: String) throws -> any Storage {
        if url == "memory:" { return InMemoryStorage() }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") { return try SQLStorage.postgres(url: url) }
        if url.hasPrefix("sqlite:") {
            var path = String(url.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw TuningError.storage("sqlite: needs a file path, as in sqlite:study.db") }
            return try SQLStorage.sqlite(path: path)
        }
        if url.hasSuffix(".db") || url.hasSuffix(".sqlite") { return try SQLStorage.sqlite(path: url) }
        throw TuningError.storage(
            "unknown storage '\(PostgresURL.redacted(url))' (use sqlite:PATH, memory: or postgres://USER@HOST/DB)")
    }

    /// The storage a study file gets when it names none: `sqlite:NAME.db` in the current folder.
    public static func defaultURL(forStudy name: String) -> String {
        "sqlite:\(name).db"
    }
}
