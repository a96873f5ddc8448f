import Foundation
import GRDB
import GazetteModel

/// What `gazette doctor` learns about a database file, read without changing a byte of it.
public struct DatabaseInspection: Sendable, Hashable {
    /// `wal` once Gazette has opened the file; anything else is switched on the next open.
    public var journalMode: String
    /// `PRAGMA integrity_check`'s answer: `["ok"]` for a healthy file, else its problems.
    public var integrityProblems: [String]
    /// Migrations this build knows that the file has not had yet: the next open applies them.
    public var pendingMigrations: [String]
    /// Migrations in the file that this build does not know: a newer Gazette wrote it.
    public var unknownMigrations: [String]
    /// Each stored source's health, for the sources' conditional GETs (empty before the first run).
    public var sources: [SourceHealth]
    /// The validators stored for each source, by name.
    public var sourceStates: [String: SourceState]

    public var isHealthy: Bool { integrityProblems == ["ok"] }
}

extension AppDatabase {
    /// Reads the file at `path` through a read-only connection: no migration, no WAL set-up.
    /// - Throws: `StoreError.unusableDatabase` when SQLite cannot read it.
    public static func inspect(path: String) throws(StoreError) -> DatabaseInspection {
        do {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(5)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                let journalMode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "unknown"
                let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                let applied = try migrator.appliedIdentifiers(db)
                let known = migrator.migrations
                var sources: [SourceHealth] = []
                var states: [String: SourceState] = [:]
                if try db.tableExists("source") {
                    for record in try SourceRecord.order(SourceRecord.Columns.name).fetchAll(db) {
                        sources.append(SourceHealth(record))
                        states[record.name] = SourceState(etag: record.etag, lastModified: record.lastModified)
                    }
                }
                return DatabaseInspection(
                    journalMode: journalMode.lowercased(), integrityProblems: problems,
                    pendingMigrations: known.filter { !applied.contains($0) },
                    unknownMigrations: applied.subtracting(known).sorted(), sources: sources, sourceStates: states)
            }
        } catch {
            throw .unusableDatabase(path: path, reason: plainReason(error))
        }
    }
}
