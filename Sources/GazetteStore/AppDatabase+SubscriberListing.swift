import Foundation
import GRDB
import GazetteModel

extension AppDatabase {
    /// Which subscribers a listing or an export covers. Removed subscribers are never listed.
    public struct SubscriberFilter: Sendable, Hashable {
        public var listName: String?
        public var status: SubscriberStatus?

        public init(listName: String? = nil, status: SubscriberStatus? = nil) {
            self.listName = listName
            self.status = status
        }

        fileprivate var sql: (String, StatementArguments) {
            var clauses = ["s.status != 'removed'"]
            var arguments: StatementArguments = []
            if let status {
                clauses.append("s.status = ?")
                arguments += [status.rawValue]
            }
            if let listName {
                clauses.append("EXISTS (SELECT 1 FROM subscription x WHERE x.subscriberId = s.id AND x.listName = ?)")
                arguments += [listName]
            }
            return (clauses.joined(separator: " AND "), arguments)
        }
    }

    /// Calls `body` with each subscriber and their memberships, by address, reading the rows
    /// one at a time from a cursor: memory stays the same for ten subscribers or a million.
    public func forEachSubscriber(_ filter: SubscriberFilter, _ body: (Subscriber, [Subscription]) throws -> Void) throws {
        let (whereClause, arguments) = filter.sql
        try writer.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT s.id, s.email, s.name, s.status, s.createdAt, s.statusChangedAt,
                        sub.listName, sub.sections, sub.tags, sub.mutedSections, sub.mutedTags
                    FROM subscriber s LEFT JOIN subscription sub ON sub.subscriberId = s.id
                    WHERE \(whereClause)
                    ORDER BY s.email, sub.listName
                    """,
                arguments: arguments)
            var current: Subscriber?
            var subscriptions: [Subscription] = []
            while let row = try rows.next() {
                let id: Int64 = row[0]
                if current?.id != id {
                    if let current { try body(current, subscriptions) }
                    current = Subscriber(
                        id: id, email: row[1], name: row[2], status: SubscriberStatus(rawValue: row[3]) ?? .paused,
                        createdAt: row[4], statusChangedAt: row[5])
                    subscriptions = []
                }
                if let listName: String = row[6] {
                    subscriptions.append(Subscription(
                        subscriberID: id, listName: listName, sections: Self.sections(row[7]), tags: Self.strings(row[8]),
                        mutedSections: Self.sections(row[9]), mutedTags: Self.strings(row[10])))
                }
            }
            if let current { try body(current, subscriptions) }
        }
    }

    /// How many subscribers match, and the widest address and name among them (in
    /// characters), so a table can be aligned before its rows are streamed.
    public func subscriberListingSize(_ filter: SubscriberFilter) throws -> (count: Int, emailWidth: Int, nameWidth: Int) {
        let (whereClause, arguments) = filter.sql
        return try writer.read { db in
            let row = try Row.fetchOne(
                db,
                sql: "SELECT COUNT(*), MAX(LENGTH(s.email)), MAX(LENGTH(COALESCE(s.name, ''))) FROM subscriber s WHERE \(whereClause)",
                arguments: arguments)
            return (row?[0] ?? 0, row?[1] ?? 0, row?[2] ?? 0)
        }
    }

    /// Matching subscribers counted by status.
    public func subscriberCounts(_ filter: SubscriberFilter) throws -> [SubscriberStatus: Int] {
        let (whereClause, arguments) = filter.sql
        return try writer.read { db in
            var counts: [SubscriberStatus: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT s.status, COUNT(*) FROM subscriber s WHERE \(whereClause) GROUP BY s.status", arguments: arguments) {
                if let status = SubscriberStatus(rawValue: row[0]) { counts[status] = row[1] }
            }
            return counts
        }
    }

    private static let decoder = JSONDecoder()

    static func strings(_ json: String?) -> [String] {
        guard let json, json != "[]" else { return [] }
        return (try? decoder.decode([String].self, from: Data(json.utf8))) ?? []
    }

    static func sections(_ json: String?) -> [SectionPath] {
        guard let json, json != "[]" else { return [] }
        return ((try? decoder.decode([[String]].self, from: Data(json.utf8))) ?? []).map(SectionPath.init(components:))
    }
}

extension AppDatabase {
    /// Copies the WAL into the database file and empties it (after a large import, before measuring the file).
    public func checkpoint() throws {
        try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }
}
