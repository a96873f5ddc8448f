import Foundation
import GRDB

/// Gazette's SQLite database: the only place that speaks SQL.
///
/// Opening runs every pending migration first, so a database is never seen half-migrated.
/// Writes are named domain operations, each in one transaction.
///
/// ```swift
/// let database = try AppDatabase.open(path: "subscribers/gazette.sqlite")
/// let fresh = try database.insertNewArticles(articles)
/// ```
public struct AppDatabase: Sendable {
    let writer: any DatabaseWriter

    init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator.migrate(writer)
    }

    /// A database already known to be fully migrated (a read-only connection cannot migrate).
    init(unmigrated writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Opens (creating if needed, mode 0600) the database file at `path` in WAL mode, so readers never
    /// wait for a writer, with a busy timeout for the moment two processes write at once.
    public static func open(path: String) throws -> AppDatabase {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        createPrivately(path: path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        return try AppDatabase(DatabasePool(path: path, configuration: configuration))
    }

    /// A copy in memory of the database file at `path`, read without writing a byte to it (a
    /// read-only connection, no WAL set-up), then migrated in memory: what a dry run works on.
    /// A missing file gives an empty database.
    public static func inMemoryCopy(ofFile path: String) throws -> AppDatabase {
        let copy = try DatabaseQueue()
        if FileManager.default.fileExists(atPath: path) {
            var configuration = Configuration()
            configuration.readonly = true
            let source = try DatabaseQueue(path: path, configuration: configuration)
            try source.backup(to: copy)
            try source.close()
        }
        return try AppDatabase(copy)
    }

    /// A private database in memory, with the real schema; for tests and dry runs.
    public static func inMemory() throws -> AppDatabase {
        try AppDatabase(DatabaseQueue())
    }
}
