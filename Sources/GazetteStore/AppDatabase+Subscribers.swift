import Foundation
import GRDB
import GazetteModel

extension AppDatabase {
    // MARK: - Writes

    /// Adds a subscriber and their list memberships in one transaction.
    /// - Throws: `StoreError.duplicateSubscriber` when the address exists in any case.
    @discardableResult
    public func addSubscriber(_ subscriber: Subscriber, subscriptions: [Subscription]) throws -> Subscriber {
        try writer.write { db in
            if try SubscriberRecord.filter(SubscriberRecord.Columns.email == subscriber.email).fetchOne(db) != nil {
                throw StoreError.duplicateSubscriber(email: subscriber.email)
            }
            var record = SubscriberRecord(subscriber)
            try record.insert(db)
            guard let id = record.id else { throw StoreError.subscriberNotFound(email: subscriber.email) }
            for var subscription in subscriptions {
                subscription.subscriberID = id
                try SubscriptionRecord(subscription, createdAt: subscriber.createdAt).insert(db)
            }
            return record.subscriber
        }
    }

    // MARK: - Reads

    /// The subscriber with this address, compared without regard to case.
    public func subscriber(email: String) throws -> Subscriber? {
        try writer.read { db in
            try SubscriberRecord.filter(SubscriberRecord.Columns.email == email).fetchOne(db)?.subscriber
        }
    }

    /// Subscribers by address, optionally only those in `listName`.
    public func subscribers(inList listName: String? = nil) throws -> [Subscriber] {
        try writer.read { db in
            var request = SubscriberRecord.filter(SubscriberRecord.Columns.status != "removed").order(
                SubscriberRecord.Columns.email)
            if let listName {
                let ids = try SubscriptionRecord.filter(SubscriptionRecord.Columns.listName == listName)
                    .select(SubscriptionRecord.Columns.subscriberId, as: Int64.self).fetchAll(db)
                request = request.filter(ids.contains(Column("id")))
            }
            return try request.fetchAll(db).map(\.subscriber)
        }
    }

    /// Every membership of `listName` with its subscriber, whatever the subscriber's status.
    public func subscriptions(inList listName: String) throws -> [(subscriber: Subscriber, subscription: Subscription)] {
        try writer.read { db in
            let subscriptions = try SubscriptionRecord.filter(SubscriptionRecord.Columns.listName == listName).fetchAll(db)
            let subscribers = try SubscriberRecord.filter(keys: subscriptions.map(\.subscriberId)).fetchAll(db)
            let byID = Dictionary(uniqueKeysWithValues: subscribers.compactMap { record in record.id.map { ($0, record) } })
            return subscriptions.compactMap { subscription in
                byID[subscription.subscriberId].map { ($0.subscriber, subscription.subscription) }
            }
            .sorted { $0.subscriber.email.lowercased() < $1.subscriber.email.lowercased() }
        }
    }

    /// The number of memberships of `listName`, whatever the subscribers' status.
    public func subscriptionCount(inList listName: String) throws -> Int {
        try writer.read { db in try SubscriptionRecord.filter(SubscriptionRecord.Columns.listName == listName).fetchCount(db) }
    }

    /// Up to `limit` memberships of `listName` with their subscribers, after `cursor` (from
    /// the start when nil), and where the page ended: a list of any size read a page at a
    /// time, so the daily job's memory does not grow with it.
    ///
    /// Members come grouped by what they follow and mute (then by subscriber id), so the
    /// subscribers who get the same digest come one after another and share its rendering
    /// (`DigestDelivery.RenderCache` keeps only the last few). Each page is one range read of
    /// the `subscription_on_selection` index.
    public func subscriptions(
        inList listName: String, after cursor: SubscriptionCursor?, limit: Int
    ) throws -> (members: [(subscriber: Subscriber, subscription: Subscription)], next: SubscriptionCursor?) {
        try writer.read { db in
            var sql = "SELECT * FROM subscription WHERE listName = ?"
            var arguments: StatementArguments = [listName]
            if let cursor {
                sql += " AND (sections, tags, mutedSections, mutedTags, subscriberId) > (?, ?, ?, ?, ?)"
                arguments += [cursor.sections, cursor.tags, cursor.mutedSections, cursor.mutedTags, cursor.subscriberID]
            }
            sql += " ORDER BY sections, tags, mutedSections, mutedTags, subscriberId LIMIT ?"
            arguments += [limit]
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            guard let last = rows.last else { return ([], nil) }
            let subscriptions = try rows.map { try SubscriptionRecord(row: $0) }
            let subscribers = try SubscriberRecord.filter(keys: subscriptions.map(\.subscriberId)).fetchAll(db)
            let byID = Dictionary(
                subscribers.compactMap { record in record.id.map { ($0, record) } }, uniquingKeysWith: { first, _ in first })
            let members = subscriptions.compactMap { subscription in
                byID[subscription.subscriberId].map { ($0.subscriber, subscription.subscription) }
            }
            let next = SubscriptionCursor(
                sections: last["sections"], tags: last["tags"], mutedSections: last["mutedSections"],
                mutedTags: last["mutedTags"],
                subscriberID: last["subscriberId"])
            return (members, next)
        }
    }

    /// The lists a subscriber belongs to, with what they follow in each.
    public func subscriptions(ofSubscriber subscriberID: Int64) throws -> [Subscription] {
        try writer.read { db in
            try SubscriptionRecord.filter(SubscriptionRecord.Columns.subscriberId == subscriberID)
                .order(SubscriptionRecord.Columns.listName).fetchAll(db).map(\.subscription)
        }
    }
}

extension AppDatabase {
    /// What an unsubscribe did.
    public enum UnsubscribeResult: Sendable, Equatable {
        /// The subscriber left the list and still receives their other lists.
        case leftList(Subscriber)
        /// The list was their last: the subscriber is now `unsubscribed` and mailed no more.
        case unsubscribed(Subscriber)
        /// They had already left: nothing changed (unsubscribe links may be followed twice).
        case alreadyUnsubscribed(Subscriber)
    }

    /// Takes a subscriber off a list, in one transaction. Leaving their last list makes them
    /// `unsubscribed`, which keeps the address from being mailed again by a later import.
    /// - Throws: `StoreError.subscriberNotFound` when the id is unknown.
    public func unsubscribe(subscriberID: Int64, listName: String) throws -> UnsubscribeResult {
        try writer.write { db in try Self.unsubscribe(db, subscriberID: subscriberID, listName: listName) }
    }

    /// `unsubscribe(subscriberID:listName:)` inside a caller's transaction.
    static func unsubscribe(_ db: Database, subscriberID: Int64, listName: String) throws -> UnsubscribeResult {
        guard var record = try SubscriberRecord.fetchOne(db, key: subscriberID) else {
            throw StoreError.subscriberNotFound(email: "#\(subscriberID)")
        }
        let lists = try SubscriptionRecord.filter(SubscriptionRecord.Columns.subscriberId == subscriberID)
            .select(SubscriptionRecord.Columns.listName, as: String.self).fetchAll(db)
        if record.status == SubscriberStatus.unsubscribed.rawValue || !lists.contains(listName) {
            return .alreadyUnsubscribed(record.subscriber)
        }
        if lists.count > 1 {
            try SubscriptionRecord.filter(SubscriptionRecord.Columns.subscriberId == subscriberID)
                .filter(SubscriptionRecord.Columns.listName == listName).deleteAll(db)
            return .leftList(record.subscriber)
        }
        record.status = SubscriberStatus.unsubscribed.rawValue
        try record.update(db)
        return .unsubscribed(record.subscriber)
    }
}

/// Where a page of a list's memberships ended (`AppDatabase.subscriptions(inList:after:limit:)`):
/// the columns the pages are ordered by, as stored.
public struct SubscriptionCursor: Sendable, Hashable {
    var sections: String
    var tags: String
    var mutedSections: String
    var mutedTags: String
    var subscriberID: Int64
}
