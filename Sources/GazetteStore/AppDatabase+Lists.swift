import Foundation
import GRDB
import GazetteModel

extension AppDatabase {
    /// The lists made with `gazette lists add`, by name.
    public func storedLists() throws -> [SubscriberList] {
        try writer.read { db in try ListRecord.order(Column("name")).fetchAll(db).map(\.list) }
    }

    /// Stores a list made on the command line; only its name, title, sender, schedule,
    /// presets and double opt-in are kept (other digest rules belong in the config).
    /// - Throws: `StoreError.duplicateList`.
    public func addList(_ list: SubscriberList, at date: Date) throws {
        try writer.write { db in
            if try ListRecord.exists(db, key: list.name) { throw StoreError.duplicateList(name: list.name) }
            try ListRecord(list, createdAt: date).insert(db)
        }
    }

    /// Deletes a stored list that nobody is on (`evenWithMembers`: whatever its members, for
    /// a copy of a list the config declares, whose members stay on the config's list).
    /// - Throws: `StoreError.listNotFound`, `StoreError.listHasMembers`.
    public func removeList(named name: String, evenWithMembers: Bool = false) throws {
        try writer.write { db in
            guard try ListRecord.exists(db, key: name) else { throw StoreError.listNotFound(name: name) }
            let members = try SubscriptionRecord.filter(SubscriptionRecord.Columns.listName == name).fetchCount(db)
            if members > 0, !evenWithMembers { throw StoreError.listHasMembers(name: name, count: members) }
            _ = try ListRecord.deleteOne(db, key: name)
        }
    }

    /// How many members each list name has, by status, including names no list defines
    /// any more (memberships the config or the database lost track of).
    public func membershipCounts() throws -> [String: [SubscriberStatus: Int]] {
        try writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT sub.listName, s.status, COUNT(*) FROM subscription sub JOIN subscriber s ON s.id = sub.subscriberId
                GROUP BY sub.listName, s.status
                """)
            var counts: [String: [SubscriberStatus: Int]] = [:]
            for row in rows {
                guard let status = SubscriberStatus(rawValue: row[1]) else { continue }
                counts[row[0], default: [:]][status] = row[2]
            }
            return counts
        }
    }
}
