import Foundation
import GRDB
import GazetteModel

extension AppDatabase {
    // MARK: - Writes

    /// Claims the ledger row for a digest before it is handed to the transport.
    ///
    /// The first call for (subscriber, list, edition) inserts `delivery` as pending. A later
    /// call finds that row: if it was sent, it is returned unchanged and the caller must not
    /// send; if it is pending or failed, its original Message-ID is kept and returned, so a
    /// retry after a crash is recognisably the same message.
    public func claimDelivery(_ delivery: Delivery) throws -> Delivery {
        try writer.write { db in
            if let existing = try DeliveryRecord
                .filter(DeliveryRecord.Columns.subscriberId == delivery.subscriberID)
                .filter(DeliveryRecord.Columns.listName == delivery.listName)
                .filter(DeliveryRecord.Columns.edition == delivery.edition)
                .fetchOne(db)
            {
                guard existing.status != DeliveryStatus.sent.rawValue else { return existing.delivery }
                var retry = DeliveryRecord(delivery)
                retry.id = existing.id
                retry.messageId = existing.messageId
                retry.createdAt = existing.createdAt
                retry.status = DeliveryStatus.pending.rawValue
                try retry.update(db)
                return retry.delivery
            }
            var record = DeliveryRecord(delivery)
            record.status = DeliveryStatus.pending.rawValue
            try record.insert(db)
            return record.delivery
        }
    }

    /// Marks a claimed delivery as handed over to the transport.
    public func markDeliverySent(id: Int64, at date: Date) throws {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE delivery SET status = 'sent', sentAt = ?, error = NULL WHERE id = ?", arguments: [date, id])
        }
    }

    /// Marks a claimed delivery as failed, with the reason, for a retry on the next run.
    public func markDeliveryFailed(id: Int64, error: String) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE delivery SET status = 'failed', error = ? WHERE id = ?", arguments: [error, id])
        }
    }

    // MARK: - Reads

    /// The end of the window of the last digest of `listName` that reached this subscriber.
    public func lastSentWindowEnd(subscriberID: Int64, listName: String) throws -> Date? {
        try writer.read { db in
            try DeliveryRecord
                .filter(DeliveryRecord.Columns.subscriberId == subscriberID)
                .filter(DeliveryRecord.Columns.listName == listName)
                .filter(DeliveryRecord.Columns.status == DeliveryStatus.sent.rawValue)
                .select(max(DeliveryRecord.Columns.windowEnd), as: Date.self)
                .fetchOne(db)
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
