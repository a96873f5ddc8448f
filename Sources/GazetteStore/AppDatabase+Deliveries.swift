import Foundation
import GRDB
import GazetteModel

extension AppDatabase {
    // MARK: - Writes

    /// Claims the ledger row for a digest before it is handed to the transport.
    ///
    /// The first call for (subscriber, list, edition) inserts `delivery` as pending. A later
    /// call finds that row: if it was sent, or failed permanently (unless `retryPermanent`),
    /// it is returned unchanged and the caller must not send. Otherwise (pending after a run
    /// that died, handed over or not, or failed temporarily) it is returned as pending with
    /// its original Message-ID, window and creation time, so the message sent again is the
    /// same message, byte for byte (ADR 0004). Its `handedOverAt` is kept: it tells the caller
    /// that this send may arrive as a second copy.
    public func claimDelivery(_ delivery: Delivery, retryPermanent: Bool = false) throws -> Delivery {
        // Once per message, so statements are prepared once per connection (the query
        // interface and Codable records cost more than the write itself at a newsroom's scale),
        // and the usual claim, a new row, is one statement in SQLite's own transaction: the
        // insert does nothing when the row exists, and only then is it read in a transaction.
        try writer.writeWithoutTransaction { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO delivery (subscriberId, listName, edition, windowStart, windowEnd, status, messageId,
                        articleCount, createdAt, sentAt, error, permanent, attempts, handedOverAt)
                    VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, NULL)
                    ON CONFLICT (subscriberId, listName, edition) DO NOTHING
                    """)
            try insert.execute(arguments: [
                delivery.subscriberID, delivery.listName, delivery.edition, StoredDate.databaseValue(delivery.window.start),
                StoredDate.databaseValue(delivery.window.end), delivery.messageID, delivery.articleCount,
                StoredDate.databaseValue(delivery.createdAt), delivery.sentAt.map(StoredDate.databaseValue), delivery.error,
                delivery.permanent, delivery.attempts,
            ])
            if db.changesCount == 1 {
                var claimed = delivery
                claimed.id = db.lastInsertedRowID
                claimed.status = .pending
                claimed.handedOverAt = nil
                return claimed
            }
            var claimed = delivery
            try db.inTransaction {
                claimed = try Self.reclaim(delivery, retryPermanent: retryPermanent, db)
                return .commit
            }
            return claimed
        }
    }

    /// `claimDelivery` when the row exists: as it stands, or pending again.
    private static func reclaim(_ delivery: Delivery, retryPermanent: Bool, _ db: Database) throws -> Delivery {
        let existingQuery = try db.cachedStatement(
            sql: "SELECT * FROM delivery WHERE subscriberId = ? AND listName = ? AND edition = ?")
        guard
            let existing = try DeliveryRecord.fetchOne(
                existingQuery, arguments: [delivery.subscriberID, delivery.listName, delivery.edition])
        else { throw DatabaseError(resultCode: .SQLITE_CONSTRAINT, message: "the delivery row was neither inserted nor found") }
        guard existing.status != DeliveryStatus.sent.rawValue else { return existing.delivery }
        if existing.permanent, !retryPermanent { return existing.delivery }
        var retry = existing
        retry.status = DeliveryStatus.pending.rawValue
        retry.permanent = false
        retry.articleCount = delivery.articleCount
        try retry.update(db)
        return retry.delivery
    }

    /// Records that the transport is about to pass its point of no return for a claimed
    /// delivery (for SMTP: all but the last line break of DATA written). Information only: a run
    /// that dies after this still sends the message again, and this mark is how it knows
    /// (and says) that the subscriber may see it twice.
    ///
    /// Called from the transport's own thread, between the last bytes of the message and
    /// the end-of-data mark, so it must stay one small write.
    public func markDeliveryHandedOver(id: Int64, at date: Date) throws {
        // One statement: SQLite's own transaction makes it atomic without BEGIN and COMMIT.
        try writer.writeWithoutTransaction { db in
            try db.cachedStatement(sql: "UPDATE delivery SET handedOverAt = ? WHERE id = ? AND status = 'pending'")
                .execute(arguments: [StoredDate.databaseValue(date), id])
        }
    }

    /// The ledger rows of one edition of a list for some of its subscribers, by subscriber:
    /// read once for a page of subscribers, so the sending loop can tell at once who already
    /// has it and whose earlier attempt must be sent again as it was.
    public func deliveries(listName: String, edition: String, subscriberIDs: [Int64]) throws -> [Int64: Delivery] {
        try writer.read { db in
            let rows =
                try DeliveryRecord
                .filter(DeliveryRecord.Columns.listName == listName)
                .filter(DeliveryRecord.Columns.edition == edition)
                .filter(subscriberIDs.contains(DeliveryRecord.Columns.subscriberId))
                .fetchAll(db)
            return Dictionary(rows.map { ($0.subscriberId, $0.delivery) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Marks a claimed delivery as accepted by the transport, and clears the subscriber's
    /// bounce count: an address that accepts mail is not bouncing.
    public func markDeliverySent(id: Int64, at date: Date) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE delivery SET status = 'sent', sentAt = ?, error = NULL, permanent = 0, attempts = attempts + 1
                    WHERE id = ?
                    """,
                arguments: [date, id])
            try db.execute(
                sql: "UPDATE subscriber SET bounceCount = 0 WHERE id = (SELECT subscriberId FROM delivery WHERE id = ?)",
                arguments: [id])
        }
    }

    /// Marks claimed deliveries as accepted by the transport, in one transaction, and clears
    /// their subscribers' bounce counts: `markDeliverySent` for a batch of the server's 250s,
    /// so a large edition pays one commit per batch, not one per message (ADR 0004).
    public func markDeliveriesSent(_ marks: [(id: Int64, at: Date)]) throws {
        guard !marks.isEmpty else { return }
        try writer.write { db in
            let sent = try db.makeStatement(
                sql: """
                    UPDATE delivery SET status = 'sent', sentAt = ?, error = NULL, permanent = 0, attempts = attempts + 1
                    WHERE id = ?
                    """)
            let bounces = try db.makeStatement(
                sql:
                    "UPDATE subscriber SET bounceCount = 0 WHERE id = (SELECT subscriberId FROM delivery WHERE id = ?) AND bounceCount != 0"
            )
            for mark in marks {
                try sent.execute(arguments: [StoredDate.databaseValue(mark.at), mark.id])
                try bounces.execute(arguments: [mark.id])
            }
        }
    }

    /// Marks a claimed delivery as failed, with the reason. A temporary failure is retried on
    /// the next run; a permanent one (`permanent`) only when asked.
    public func markDeliveryFailed(id: Int64, error: String, permanent: Bool = false) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE delivery SET status = 'failed', error = ?, permanent = ?, attempts = attempts + 1
                    WHERE id = ?
                    """,
                arguments: [error, permanent, id])
        }
    }

    /// Counts a permanent refusal for a subscriber; at `limit` refusals in a row the
    /// subscriber becomes `bounced` and is mailed no more.
    /// - Returns: true when this refusal marked the subscriber bounced.
    @discardableResult
    public func recordBounce(subscriberID: Int64, limit: Int) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: "UPDATE subscriber SET bounceCount = bounceCount + 1 WHERE id = ?", arguments: [subscriberID])
            let count =
                try Int.fetchOne(db, sql: "SELECT bounceCount FROM subscriber WHERE id = ?", arguments: [subscriberID]) ?? 0
            guard count >= limit else { return false }
            try db.execute(
                sql: "UPDATE subscriber SET status = 'bounced' WHERE id = ? AND status = 'active'", arguments: [subscriberID])
            return true
        }
    }

    /// Records that every subscriber of this edition has been handled.
    public func markEditionCompleted(listName: String, edition: String, scheduledAt: Date, at date: Date) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO edition (listName, edition, scheduledAt, completedAt) VALUES (?, ?, ?, ?)
                    ON CONFLICT (listName, edition) DO UPDATE SET completedAt = excluded.completedAt
                    """,
                arguments: [listName, edition, scheduledAt, date])
        }
    }

    // MARK: - Reads

    /// True when this edition of the list was already handled for every subscriber.
    public func isEditionCompleted(listName: String, edition: String) throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT completedAt IS NOT NULL FROM edition WHERE listName = ? AND edition = ?",
                arguments: [listName, edition]) ?? false
        }
    }

    /// The ledger row of one subscriber's edition, if any.
    public func delivery(subscriberID: Int64, listName: String, edition: String) throws -> Delivery? {
        try writer.read { db in
            try DeliveryRecord
                .filter(DeliveryRecord.Columns.subscriberId == subscriberID)
                .filter(DeliveryRecord.Columns.listName == listName)
                .filter(DeliveryRecord.Columns.edition == edition)
                .fetchOne(db)?.delivery
        }
    }

    /// The end of the window of the last digest of `listName` that reached this subscriber
    /// (the server's acceptance committed): the next digest starts where that one ended.
    public func lastSentWindowEnd(subscriberID: Int64, listName: String) throws -> Date? {
        try writer.read { db in
            try Date.fetchOne(
                db,
                sql: """
                    SELECT MAX(windowEnd) FROM delivery
                    WHERE subscriberId = ? AND listName = ? AND \(DeliveryRecord.reachedSubscriberSQL)
                    """,
                arguments: [subscriberID, listName])
        }
    }

    /// `lastSentWindowEnd` for several subscribers in one read (a page of the daily job's
    /// subscribers); those with no digest of the list yet are absent.
    public func lastSentWindowEnds(subscriberIDs: [Int64], listName: String) throws -> [Int64: Date] {
        try writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT subscriberId, MAX(windowEnd) AS windowEnd FROM delivery
                    WHERE listName = ? AND subscriberId IN (SELECT value FROM json_each(?)) AND \(DeliveryRecord.reachedSubscriberSQL)
                    GROUP BY subscriberId
                    """,
                arguments: [listName, "[" + subscriberIDs.map(String.init).joined(separator: ",") + "]"])
            var ends: [Int64: Date] = [:]
            for row in rows {
                if let id: Int64 = row["subscriberId"], let end: Date = row["windowEnd"] { ends[id] = end }
            }
            return ends
        }
    }

    /// Every ledger row, newest first; optionally one list's.
    public func deliveries(listName: String? = nil) throws -> [Delivery] {
        try writer.read { db in
            var request = DeliveryRecord.order(Column("id").desc)
            if let listName { request = request.filter(DeliveryRecord.Columns.listName == listName) }
            return try request.fetchAll(db).map(\.delivery)
        }
    }
}
