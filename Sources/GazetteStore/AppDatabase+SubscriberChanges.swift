import Foundation
import GRDB
import GazetteModel

extension AppDatabase {
    /// The subscriber with this id, unless removed.
    public func subscriber(id: Int64) throws -> Subscriber? {
        try writer.read { db in
            try SubscriberRecord.filter(key: id).filter(SubscriberRecord.Columns.status != "removed").fetchOne(db)?.subscriber
        }
    }

    /// Sets a subscriber's status and when it changed. Becoming active clears the bounce count.
    /// - Throws: `StoreError.subscriberNotFound`.
    public func setStatus(_ status: SubscriberStatus, subscriberID: Int64, at date: Date) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE subscriber SET status = ?, statusChangedAt = ?,
                        bounceCount = CASE WHEN ? = 'active' THEN 0 ELSE bounceCount END
                    WHERE id = ? AND status != 'removed'
                    """,
                arguments: [status.rawValue, date, status.rawValue, subscriberID])
            if db.changesCount == 0 { throw StoreError.subscriberNotFound(email: "#\(subscriberID)") }
        }
    }

    /// Changes a subscriber's address and name.
    /// - Throws: `StoreError.duplicateSubscriber` when the new address belongs to another subscriber.
    public func updateSubscriber(id: Int64, email: String, name: String?) throws {
        try writer.write { db in
            if let other = try SubscriberRecord.filter(SubscriberRecord.Columns.email == email).fetchOne(db), other.id != id {
                throw StoreError.duplicateSubscriber(email: email)
            }
            try db.execute(sql: "UPDATE subscriber SET email = ?, name = ? WHERE id = ?", arguments: [email, name, id])
        }
    }

    /// Adds a membership, or replaces what the subscriber follows and mutes in that list.
    public func saveSubscription(_ subscription: Subscription, at date: Date) throws {
        try writer.write { db in try SubscriptionRecord(subscription, createdAt: date).upsert(db) }
    }

    /// Takes a subscriber off one list, whatever their status (an editor's change, not an unsubscribe).
    public func deleteSubscription(subscriberID: Int64, listName: String) throws {
        try writer.write { db in
            _ = try SubscriptionRecord.filter(SubscriptionRecord.Columns.subscriberId == subscriberID)
                .filter(SubscriptionRecord.Columns.listName == listName).deleteAll(db)
        }
    }

    /// Adds a subscriber again who is on record as unsubscribed or bounced, or whose removed
    /// tombstone holds `suppressionHash`: sets `status` and the given memberships, and clears
    /// the tombstone's hash. Only for an explicit resubscribe.
    @discardableResult
    public func resubscribe(
        existing id: Int64?, _ subscriber: Subscriber, subscriptions: [Subscription], suppressionHash: String?
    ) throws -> Subscriber {
        try writer.write { db in
            if let hash = suppressionHash {
                try db.execute(sql: "UPDATE subscriber SET emailHash = NULL WHERE emailHash = ?", arguments: [hash])
            }
            var record: SubscriberRecord
            if let id, let found = try SubscriberRecord.fetchOne(db, key: id) {
                record = found
                record.status = subscriber.status.rawValue
                record.statusChangedAt = subscriber.statusChangedAt
                record.bounceCount = 0
                if let name = subscriber.name { record.name = name }
                try record.update(db)
            } else {
                record = SubscriberRecord(subscriber)
                try record.insert(db)
            }
            guard let newID = record.id else { throw StoreError.subscriberNotFound(email: subscriber.email) }
            for var subscription in subscriptions {
                subscription.subscriberID = newID
                try SubscriptionRecord(subscription, createdAt: subscriber.statusChangedAt ?? subscriber.createdAt).upsert(db)
            }
            return record.subscriber
        }
    }

    /// Whether a removed subscriber's tombstone holds this address hash: the address had
    /// unsubscribed or bounced before it was removed.
    public func isSuppressed(hash: String) throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM subscriber WHERE emailHash = ? AND status = 'removed'", arguments: [hash]) ?? false
        }
    }

    /// What `remove` did with the subscriber's row.
    public enum Removal: Sendable, Equatable {
        /// The row is gone, with its memberships and any history.
        case deleted
        /// The address and name are gone; the row stays, anonymous, for the delivery history
        /// (`deliveriesKept`) or to keep an unsubscribed address from being mailed again.
        case tombstone(deliveriesKept: Int)
    }

    /// Removes a subscriber in one transaction: memberships go; with `erase`, delivery
    /// history goes too. The address and name are always forgotten. A row stays behind (as a
    /// `removed` tombstone) when there is history to keep or a `suppressionHash` to remember.
    public func removeSubscriber(id: Int64, erase: Bool, suppressionHash: String?, at date: Date) throws -> Removal {
        try writer.write { db in
            guard try SubscriberRecord.filter(key: id).filter(SubscriberRecord.Columns.status != "removed").fetchCount(db) == 1 else {
                throw StoreError.subscriberNotFound(email: "#\(id)")
            }
            try db.execute(sql: "DELETE FROM subscription WHERE subscriberId = ?", arguments: [id])
            if erase { try db.execute(sql: "DELETE FROM delivery WHERE subscriberId = ?", arguments: [id]) }
            let deliveries = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM delivery WHERE subscriberId = ?", arguments: [id]) ?? 0
            if deliveries == 0, suppressionHash == nil {
                try db.execute(sql: "DELETE FROM subscriber WHERE id = ?", arguments: [id])
                return .deleted
            }
            try db.execute(
                sql: """
                    UPDATE subscriber SET email = NULL, name = NULL, status = 'removed', statusChangedAt = ?, emailHash = ?
                    WHERE id = ?
                    """,
                arguments: [date, suppressionHash, id])
            return .tombstone(deliveriesKept: deliveries)
        }
    }

    /// Deletes a subscriber row outright; for undoing an `add` whose confirmation mail could not be sent.
    public func deleteSubscriberRow(id: Int64) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM subscription WHERE subscriberId = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM subscriber WHERE id = ?", arguments: [id])
        }
    }

    /// How many digests reached a subscriber, how many failed, and when the last one went out.
    public struct DeliveryHistory: Sendable, Equatable, Codable {
        public var sent: Int
        public var failed: Int
        public var lastSentAt: Date?
    }

    public func deliveryHistory(subscriberID: Int64) throws -> DeliveryHistory {
        try writer.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM\(DeliveryRecord.reachedSubscriberSQL), 0), COALESCE(SUM(status = 'failed'), 0),
                        MAX(CASE WHEN \(DeliveryRecord.reachedSubscriberSQL) THEN sentAt END)
                    FROM delivery WHERE subscriberId = ?
                    """,
                arguments: [subscriberID])
            return DeliveryHistory(sent: row?[0] ?? 0, failed: row?[1] ?? 0, lastSentAt: row?[2])
        }
    }
}
