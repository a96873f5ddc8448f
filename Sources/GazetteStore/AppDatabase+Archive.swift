import Foundation
import GRDB

extension AppDatabase {
    /// One edition of a list that reached at least one reader, as the archive shows it.
    public struct SentEdition: Sendable, Hashable {
        public var listName: String
        /// The edition key (`2026-12-02T0700`).
        public var edition: String
        /// The window a regular reader's digest covered: from the latest start (the end of
        /// the edition before, for everyone who got it) to the end.
        public var windowStart: Date
        public var windowEnd: Date
        /// When the first copy went out.
        public var sentAt: Date
    }

    /// The editions of `listName` that were sent, newest first. Built from the delivery
    /// ledger, so an edition disappears from the archive when `prune` drops its rows.
    public func sentEditions(listName: String, limit: Int = 500) throws -> [SentEdition] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT edition, MAX(windowStart) AS windowStart, MAX(windowEnd) AS windowEnd, MIN(sentAt) AS sentAt
                    FROM delivery WHERE listName = ? AND status = 'sent' AND sentAt IS NOT NULL
                    GROUP BY edition ORDER BY MAX(windowEnd) DESC, edition DESC LIMIT ?
                    """,
                arguments: [listName, limit]
            ).map { row in
                SentEdition(
                    listName: listName, edition: row["edition"], windowStart: row["windowStart"], windowEnd: row["windowEnd"],
                    sentAt: row["sentAt"])
            }
        }
    }
}
