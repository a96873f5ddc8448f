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
            var request = SubscriberRecord.filter(SubscriberRecord.Columns.status != "removed").order(SubscriberRecord.Columns.email)
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
