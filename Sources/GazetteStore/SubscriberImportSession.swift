import Foundation
import GRDB
import GRDBSQLite
import GazetteModel

/// The writes of one subscriber import, inside one transaction, through prepared statements
/// (compiled once, run for every row) so a million rows take seconds.
///
/// Only `AppDatabase.importSubscribers` makes one; it is valid inside its closure only.
public final class SubscriberImportSession {
    let db: Database
    private let now: DatabaseValue
    /// Whether any tombstone holds an address hash; when none does, nothing needs hashing.
    public let hasSuppressedAddresses: Bool

    /// The per-row statements, compiled once: looking each up in GRDB's statement cache
    /// hashed its SQL text for every row.
    private let existingQuery: Statement
    private let insertStatement: Statement
    private let insertIfNewStatement: Statement
    private let saveStatement: Statement
    /// New subscribers read from the file's bytes, written 128 to a statement (`queueIfNew`).
    var queue = Queue()
    /// `addressKey` of every address in the table (loaded at the first `queueIfNew`) and of
    /// every address this import adds.
    var knownAddresses: KeySet?
    /// The multi-row inserts of `flush`, by row count (a power of two up to `Queue.chunk`).
    var subscriberInserts: [Int: Statement] = [:]
    var subscriptionInserts: [Int: Statement] = [:]
    /// `now` as SQLite stores it.
    let stamp: String
    /// The highest subscriber id before the import: ids are never reused (AUTOINCREMENT), so
    /// a subscriber with a higher id was added by this import.
    public let lastIDBeforeImport: Int64

    init(db: Database, now: Date) throws {
        self.db = db
        self.now = now.databaseValue
        hasSuppressedAddresses =
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM subscriber WHERE emailHash IS NOT NULL)") ?? false
        lastIDBeforeImport =
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT max(coalesce((SELECT max(id) FROM subscriber), 0),
                               coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'subscriber'), 0))
                    """) ?? 0
        stamp = String.fromDatabaseValue(self.now) ?? ""
        existingQuery = try db.makeStatement(sql: "SELECT id, email, name, status FROM subscriber WHERE email = ?")
        insertStatement = try db.makeStatement(sql: "INSERT INTO subscriber (email, name, status, createdAt) VALUES (?, ?, ?, ?)")
        insertIfNewStatement = try db.makeStatement(
            sql: "INSERT INTO subscriber (email, name, status, createdAt) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
        saveStatement = try db.makeStatement(
            sql: """
                INSERT INTO subscription (subscriberId, listName, sections, tags, mutedSections, mutedTags, createdAt)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (subscriberId, listName) DO UPDATE SET sections = excluded.sections, tags = excluded.tags,
                    mutedSections = excluded.mutedSections, mutedTags = excluded.mutedTags
                """)
    }

    /// A subscriber already in the database.
    public struct Existing: Sendable, Hashable {
        public var id: Int64
        public var email: String
        public var name: String?
        public var status: SubscriberStatus
    }

    public func existing(email: String) throws -> Existing? {
        try flush()
        guard let row = try Row.fetchOne(existingQuery, arguments: [email]) else { return nil }
        return Existing(id: row[0], email: row[1], name: row[2], status: SubscriberStatus(rawValue: row[3]) ?? .paused)
    }

    /// The list memberships of a subscriber, with what they follow in each.
    public func subscriptions(of id: Int64) throws -> [Subscription] {
        try flush()
        let statement = try db.cachedStatement(
            sql: "SELECT listName, sections, tags, mutedSections, mutedTags FROM subscription WHERE subscriberId = ?")
        return try Row.fetchAll(statement, arguments: [id]).map { row in
            Subscription(
                subscriberID: id, listName: row[0], sections: AppDatabase.sections(row[1]), tags: AppDatabase.strings(row[2]),
                mutedSections: AppDatabase.sections(row[3]), mutedTags: AppDatabase.strings(row[4]))
        }
    }

    public func isSuppressed(hash: String) throws -> Bool {
        try flush()
        guard hasSuppressedAddresses else { return false }
        let statement = try db.cachedStatement(sql: "SELECT 1 FROM subscriber WHERE emailHash = ? AND status = 'removed'")
        return try Bool.fetchOne(statement, arguments: [hash]) ?? false
    }

    /// Inserts a subscriber and returns their id.
    public func insert(email: String, name: String?, status: SubscriberStatus) throws -> Int64 {
        try flush()
        try insertStatement.execute(arguments: [email, name, status.rawValue, now])
        noteAdded(email)
        return db.lastInsertedRowID
    }

    /// Inserts a subscriber unless the address (without regard to case) is already there;
    /// their id, or nil when it was. One index probe where `existing` then `insert` took two.
    public func insertIfNew(email: String, name: String?, status: SubscriberStatus) throws -> Int64? {
        try flush()
        try insertIfNewStatement.execute(arguments: [email, name, status.rawValue, now])
        if db.changesCount == 1 { noteAdded(email) }
        return db.changesCount == 1 ? db.lastInsertedRowID : nil
    }

    public func setName(_ name: String?, id: Int64) throws {
        try flush()
        try db.cachedStatement(sql: "UPDATE subscriber SET name = ? WHERE id = ?").execute(arguments: [name, id])
    }

    public func setStatus(_ status: SubscriberStatus, id: Int64) throws {
        try flush()
        try db.cachedStatement(
            sql: """
                UPDATE subscriber SET status = ?, statusChangedAt = ?,
                    bounceCount = CASE WHEN ? = 'active' THEN 0 ELSE bounceCount END
                WHERE id = ?
                """
        ).execute(arguments: [status.rawValue, now, status.rawValue, id])
    }

    /// Adds a membership or replaces what the subscriber follows in that list.
    public func save(_ subscription: Subscription) throws {
        try flush()
        try saveStatement.execute(arguments: [
            subscription.subscriberID, subscription.listName, Self.json(sections: subscription.sections),
            Self.json(strings: subscription.tags), Self.json(sections: subscription.mutedSections),
            Self.json(strings: subscription.mutedTags), now,
        ])
    }

    /// A JSON array of strings, written by hand: JSONEncoder per row was a tenth of an import.
    public static func json(strings: [String]) -> String {
        strings.isEmpty ? "[]" : "[" + strings.map(jsonString).joined(separator: ",") + "]"
    }

    /// Sections as GRDB stores them: an array of arrays of components.
    public static func json(sections: [SectionPath]) -> String {
        sections.isEmpty ? "[]" : "[" + sections.map { json(strings: $0.components) }.joined(separator: ",") + "]"
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension AppDatabase {
    /// Runs an import in one transaction: committed when `body` returns true, rolled back
    /// (nothing written) when it returns false or throws.
    ///
    /// The page cache grows to 128 MB for the import: a million addresses arrive in no order,
    /// so their index pages are touched at random, and with SQLite's default 8 MB cache each
    /// eviction rewrites a page into the WAL (a million rows took 70 s and a 500 MB WAL).
    public func importSubscribers(at date: Date, _ body: (SubscriberImportSession) throws -> Bool) throws {
        try writer.writeWithoutTransaction { db in
            let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            try db.execute(sql: "PRAGMA cache_size = -131072")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
            try db.inTransaction(.immediate) {
                let session = try SubscriberImportSession(db: db, now: date)
                let commit = try body(session)
                try session.flush()
                return commit ? .commit : .rollback
            }
        }
    }
}
