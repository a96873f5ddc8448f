import Foundation
import GRDB
import GazetteModel

extension AppDatabase {
    /// What recording a returned message did.
    public enum ReturnedMailOutcome: Sendable, Equatable {
        case recorded(ReturnedMailEntry)
        /// A message with this key was handled before: nothing was counted again.
        case alreadyHandled
    }

    /// Records one returned message and applies its effect, in one transaction:
    /// - `hard`: counts toward `rules.hardLimit` (the count a 5xx during sending also
    ///   raises); at the limit an active or paused subscriber becomes `bounced`.
    /// - `soft`: `bounced` once `rules.softLimit` distinct digests in a row came back soft
    ///   over at least `rules.softDays` days. A digest sent before the bounced one that came
    ///   back with nothing (it was delivered) ends the run, so a reset needs no extra state.
    /// - `complaint`: the subscriber is `unsubscribed` from every list (sticky, as any unsubscribe).
    /// - `unsubscribe`: the subscriber leaves `entry.listName`.
    /// - anything else, or no subscriber: recorded only.
    public func recordReturnedMail(_ entry: ReturnedMailEntry, rules: BounceRules) throws -> ReturnedMailOutcome {
        try writer.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM returnedMail WHERE messageKey = ?", arguments: [entry.messageKey])
                == true
            {
                return .alreadyHandled
            }
            var record = ReturnedMailRecord(entry)
            if record.deliveryId == nil, let subscriberID = entry.subscriberID, entry.kind == "soft" || entry.kind == "hard" {
                // Unlinked bounce: it is about the last digest that left before it arrived.
                record.deliveryId = try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT id FROM delivery WHERE subscriberId = ? AND status = 'sent' AND sentAt <= ?
                        ORDER BY sentAt DESC LIMIT 1
                        """,
                    arguments: [subscriberID, entry.receivedAt])
            }
            try record.insert(db)
            guard let subscriberID = entry.subscriberID else {
                try record.setAction(.noSubscriber, db)
                return .recorded(record.entry)
            }
            let action: ReturnedMailAction
            switch entry.kind {
            case "hard":
                try db.execute(sql: "UPDATE subscriber SET bounceCount = bounceCount + 1 WHERE id = ?", arguments: [subscriberID])
                let count =
                    try Int.fetchOne(db, sql: "SELECT bounceCount FROM subscriber WHERE id = ?", arguments: [subscriberID]) ?? 0
                if count >= rules.hardLimit {
                    action = try Self.markBounced(db, subscriberID, at: entry.recordedAt)
                } else {
                    action = .counted
                }
            case "soft":
                let streak = try Self.softStreak(
                    db, subscriberID: subscriberID, deliveryID: record.deliveryId, receivedAt: entry.receivedAt)
                let reached = streak.digests >= rules.softLimit && streak.span >= TimeInterval(rules.softDays) * 86_400
                if reached {
                    action = try Self.markBounced(db, subscriberID, at: entry.recordedAt)
                } else {
                    action = .counted
                }
            case "complaint":
                try db.execute(
                    sql: """
                        UPDATE subscriber SET status = 'unsubscribed', statusChangedAt = ?
                        WHERE id = ? AND status IN ('active', 'paused', 'pending')
                        """,
                    arguments: [entry.recordedAt, subscriberID])
                action = db.changesCount > 0 ? .unsubscribed : .unchanged
            case "unsubscribe":
                guard let listName = entry.listName else {
                    action = .noted
                    break
                }
                switch try Self.unsubscribe(db, subscriberID: subscriberID, listName: listName) {
                case .leftList: action = .leftList
                case .unsubscribed: action = .unsubscribed
                case .alreadyUnsubscribed: action = .unchanged
                }
            default:
                action = .noted
            }
            try record.setAction(action, db)
            return .recorded(record.entry)
        }
    }

    private static func markBounced(_ db: Database, _ subscriberID: Int64, at date: Date) throws -> ReturnedMailAction {
        try db.execute(
            sql: "UPDATE subscriber SET status = 'bounced', statusChangedAt = ? WHERE id = ? AND status IN ('active', 'paused')",
            arguments: [date, subscriberID])
        return db.changesCount > 0 ? .bounced : .unchanged
    }

    /// The current run of soft bounces: how many distinct digests came back soft since the
    /// last digest that got through, and the days between the first and the last of them.
    private static func softStreak(
        _ db: Database, subscriberID: Int64, deliveryID: Int64?, receivedAt: Date
    ) throws -> (digests: Int, span: TimeInterval) {
        let reference =
            try deliveryID.flatMap {
                try Date.fetchOne(db, sql: "SELECT sentAt FROM delivery WHERE id = ?", arguments: [$0])
            } ?? receivedAt
        let lastGood = try Date.fetchOne(
            db,
            sql: """
                SELECT MAX(d.sentAt) FROM delivery d
                WHERE d.subscriberId = ? AND d.status = 'sent' AND d.sentAt < ?
                  AND NOT EXISTS (SELECT 1 FROM returnedMail r WHERE r.deliveryId = d.id AND r.kind IN ('hard', 'soft'))
                """,
            arguments: [subscriberID, reference])
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT COUNT(DISTINCT COALESCE(r.deliveryId, -r.id)), MIN(r.receivedAt), MAX(r.receivedAt)
                FROM returnedMail r LEFT JOIN delivery d ON d.id = r.deliveryId
                WHERE r.subscriberId = ? AND r.kind = 'soft' AND COALESCE(d.sentAt, r.receivedAt) > ?
                """,
            arguments: [subscriberID, lastGood ?? Date.distantPast])
        let count: Int = row?[0] ?? 0
        let first: Date? = row?[1]
        let last: Date? = row?[2]
        return (count, first.flatMap { first in last.map { $0.timeIntervalSince(first) } } ?? 0)
    }

    /// True when a returned message with this key was recorded.
    public func isReturnedMailRecorded(messageKey: String) throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM returnedMail WHERE messageKey = ?", arguments: [messageKey]) ?? false
        }
    }

    /// A subscriber's returned mail, newest first.
    public func returnedMail(subscriberID: Int64) throws -> [ReturnedMailEntry] {
        try writer.read { db in
            try ReturnedMailRecord.filter(Column("subscriberId") == subscriberID)
                .order(Column("receivedAt").desc, Column("id").desc).fetchAll(db).map(\.entry)
        }
    }

    /// The ledger row whose message has this Message-ID (without angle brackets).
    public func delivery(messageID: String) throws -> Delivery? {
        try writer.read { db in
            try DeliveryRecord.filter(Column("messageId") == messageID).fetchOne(db)?.delivery
        }
    }

    /// The ledger row with this id.
    public func delivery(id: Int64) throws -> Delivery? {
        try writer.read { db in try DeliveryRecord.fetchOne(db, key: id)?.delivery }
    }
}

/// A row of `returnedMail`.
struct ReturnedMailRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "returnedMail"
    var id: Int64?
    var messageKey: String
    var subscriberId: Int64?
    var deliveryId: Int64?
    var listName: String?
    var kind: String
    var status: String?
    var detail: String?
    var originalMessageId: String?
    var action: String
    var receivedAt: Date
    var recordedAt: Date

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    init(_ entry: ReturnedMailEntry) {
        id = entry.id
        messageKey = entry.messageKey
        subscriberId = entry.subscriberID
        deliveryId = entry.deliveryID
        listName = entry.listName
        kind = entry.kind
        status = entry.status
        detail = entry.detail
        originalMessageId = entry.originalMessageID
        action = entry.action.rawValue
        receivedAt = entry.receivedAt
        recordedAt = entry.recordedAt
    }

    var entry: ReturnedMailEntry {
        ReturnedMailEntry(
            id: id, messageKey: messageKey, subscriberID: subscriberId, deliveryID: deliveryId, listName: listName, kind: kind,
            status: status, detail: detail, originalMessageID: originalMessageId,
            action: ReturnedMailAction(rawValue: action) ?? .noted, receivedAt: receivedAt, recordedAt: recordedAt)
    }

    mutating func setAction(_ action: ReturnedMailAction, _ db: Database) throws {
        self.action = action.rawValue
        try update(db, columns: ["action"])
    }
}
