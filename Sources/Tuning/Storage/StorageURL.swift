/// Opens a storage from its URL: `sqlite:PATH` (or a path ending in `.db` or `.sqlite`),
/// `memory:`, or `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`.
public enum StorageURL {
    /// Opens the storage. With `readOnly` (for commands that only read), nothing is created or
    /// written: an SQLite file or PostgreSQL tables that do not exist are an error.
    public static func open(_ url: String, readOnly: Bool = false) throws -> any Storage {
        if url == "memory:" { return InMemoryStorage() }
        if isPostgres(url) { return try SQLStorage.postgres(url: url, readOnly: readOnly) }
        if url.hasPrefix("sqlite:") {
            var path = String(url.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw TuningError.storage("sqlite: needs a file path, as in sqlite:study.db") }
            return try SQLStorage.sqlite(path: path, readOnly: readOnly)
        }
        if url.hasSuffix(".db") || url.hasSuffix(".sqlite") { return try SQLStorage.sqlite(path: url, readOnly: readOnly) }
        throw TuningError.storage(
            "unknown storage '\(PostgresURL.redacted(url))' (use sqlite:PATH, memory: or postgres://USER@HOST/DB)")
    }

    /// The storage a study file gets when it names none: `sqlite:NAME.db` in the current folder
    /// (with `/` and control characters in the name replaced, so it stays in that folder).
    public static func defaultURL(forStudy name: String) -> String {
        "sqlite:\(FileNames.safe(name)).db"
    }

    /// `url` without a password, for keeping (a stored study file) or showing. A password-free
    /// PostgreSQL URL still works where libpq finds the password in `PGPASSWORD` or `~/.pgpass`.
    public static func withoutPassword(_ url: String) throws -> String {
        isPostgres(url) ? try PostgresURL(url).passwordFree : url
    }

    /// How to hand the storage to a child process (a worker) without a password in its
    /// arguments, which any user of the machine can read: pass `url` as its argument and add
    /// `environment` to its environment (`PGPASSWORD`, read by libpq).
    public static func handOff(_ url: String) throws -> (url: String, environment: [String: String]) {
        guard isPostgres(url) else { return (url, [:]) }
        let parsed = try PostgresURL(url)
        return (parsed.passwordFree, parsed.password.map { ["PGPASSWORD": $0] } ?? [:])
    }

    private static func isPostgres(_ url: String) -> Bool {
        url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")
    }
}
