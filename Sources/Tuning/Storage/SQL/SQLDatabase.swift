/// What `SQLStorage` needs from a database: its tables, and transactions that run statements.
///
/// Statements are written once, in the SQL that SQLite and PostgreSQL share (`ON CONFLICT`
/// upserts, `RETURNING`), with `?` placeholders; a database rewrites the placeholders into its own
/// form. Each database supplies its schema (column types differ) and its transaction modes.
protocol SQLDatabase: Sendable {
    /// Where the database is, for messages: a file path, or a server and database without the password.
    var location: String { get }

    /// Whether the storage's tables exist.
    func hasTables() throws -> Bool
    /// Creates the storage's tables and indexes where they are missing.
    func createTables() throws

    /// Runs `body` in a write transaction (SQLite takes the file's write lock at the start,
    /// PostgreSQL locks rows as they are updated), committed when `body` returns (unless it called
    /// `rollBackOnReturn`) and rolled back when it throws.
    func write<T>(_ body: (any SQLTransaction) throws -> T) throws -> T
    /// Runs `body` in a read-only transaction that sees one snapshot of the database.
    func read<T>(_ body: (any SQLTransaction) throws -> T) throws -> T
}

/// The statements of one transaction.
protocol SQLTransaction {
    /// Runs one statement with `?` placeholders bound to `arguments` and returns its rows.
    @discardableResult
    func rows(_ sql: String, _ arguments: [any SQLArgument]) throws -> [SQLRow]
    /// Makes the transaction roll back instead of committing when its body returns.
    func rollBackOnReturn()
}

extension SQLTransaction {
    /// The first row of a statement's result, if any.
    func row(_ sql: String, _ arguments: [any SQLArgument]) throws -> SQLRow? {
        try rows(sql, arguments).first
    }
}
