import GRDB
import GRDBSQLite
import GazetteModel

/// New subscribers, queued from the file's bytes and written together.
///
/// Two statements a row (a subscriber, a membership) spent most of an import in SQLite's
/// per-statement work (cursors opened and closed, registers cleared, memory allocated), not
/// in the rows. Queued rows are written 128 to a statement; AUTOINCREMENT numbers them in
/// order from the highest id ever plus one, which their memberships are written with.
///
/// A queued address must be new, or the insert fails on the unique index: `queueIfNew`
/// refuses an address that may be in the table (`knownAddresses`), and every other call
/// of the session writes the queue first, so what it reads or writes follows file order.
extension SubscriberImportSession {
    struct Queue {
        static let chunk = 128

        struct Subscriber {
            var email: Range<Int>
            var name: Range<Int>?
            var status: SubscriberStatus
        }

        struct Subscription {
            /// Position in `subscribers`.
            var subscriber: Int
            var listName: String
            var sections: String
            var tags: String
            var mutedSections: String
            var mutedTags: String
        }

        /// The addresses and names, one after another.
        var bytes: [UInt8] = []
        var subscribers: [Subscriber] = []
        var subscriptions: [Subscription] = []
    }

    /// Queues a new subscriber from UTF-8 bytes: the address as `EmailAddress.validate`
    /// returns it, the name trimmed (nil when empty). Returns false, queuing nothing, when the
    /// address (without regard to case) may be in the table or the queue already: the caller
    /// then takes the path that looks it up (`insertIfNew`, `existing`).
    public func queueIfNew(
        emailUTF8 email: UnsafeBufferPointer<UInt8>, nameUTF8 name: UnsafeBufferPointer<UInt8>?, status: SubscriberStatus
    ) throws -> Bool {
        if knownAddresses == nil { knownAddresses = try addressKeys() }
        guard knownAddresses?.insert(Self.addressKey(email)) == true else { return false }
        if queue.subscribers.count == Queue.chunk * 4 { try flush() }
        let start = queue.bytes.count
        queue.bytes.append(contentsOf: email)
        let emailRange = start..<queue.bytes.count
        var nameRange: Range<Int>?
        if let name {
            queue.bytes.append(contentsOf: name)
            nameRange = emailRange.upperBound..<queue.bytes.count
        }
        queue.subscribers.append(Queue.Subscriber(email: emailRange, name: nameRange, status: status))
        return true
    }

    /// Queues a membership for the subscriber `queueIfNew` queued last, with the preferences
    /// as JSON (`json(sections:)`, `json(strings:)`); as `save(_:)` would store it.
    public func queueSubscription(
        listName: String, sectionsJSON: String, tagsJSON: String, mutedSectionsJSON: String, mutedTagsJSON: String
    ) {
        precondition(!queue.subscribers.isEmpty, "a membership is queued after its subscriber")
        queue.subscriptions.append(
            Queue.Subscription(
                subscriber: queue.subscribers.count - 1, listName: listName, sections: sectionsJSON, tags: tagsJSON,
                mutedSections: mutedSectionsJSON, mutedTags: mutedTagsJSON))
    }

    /// Writes the queue: its subscribers, then their memberships, 128 rows a statement.
    func flush() throws {
        guard !queue.subscribers.isEmpty else { return }
        let firstID =
            try Int64.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT max(coalesce((SELECT max(id) FROM subscriber), 0),
                                   coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'subscriber'), 0)) + 1
                        """)) ?? 1
        try queue.bytes.withUnsafeBufferPointer { bytes in
            try inChunks(queue.subscribers.count) { start, count in
                let statement = try multiRowInsert(subscribers: true, rows: count)
                let handle = statement.sqliteStatement
                for offset in 0..<count {
                    let row = queue.subscribers[start + offset]
                    let parameter = Int32(2 + 3 * offset)
                    Self.bind(UnsafeBufferPointer(rebasing: bytes[row.email]), to: handle, at: parameter)
                    if let name = row.name {
                        Self.bind(UnsafeBufferPointer(rebasing: bytes[name]), to: handle, at: parameter + 1)
                    } else {
                        sqlite3_bind_null(handle, parameter + 1)
                    }
                    Self.bind(row.status.rawValue, to: handle, at: parameter + 2)
                }
                try step(statement)
                // AUTOINCREMENT numbers the rows of one statement one after another; checked,
                // as the memberships below rely on it.
                let last = sqlite3_last_insert_rowid(db.sqliteConnection)
                guard last == firstID + Int64(start + count - 1) else {
                    throw DatabaseError(
                        message: "import: subscriber ids \(firstID + Int64(start))… expected, \(last) was the last given")
                }
            }
        }
        try inChunks(queue.subscriptions.count) { start, count in
            let statement = try multiRowInsert(subscribers: false, rows: count)
            let handle = statement.sqliteStatement
            for offset in 0..<count {
                let row = queue.subscriptions[start + offset]
                let parameter = Int32(2 + 6 * offset)
                sqlite3_bind_int64(handle, parameter, firstID + Int64(row.subscriber))
                Self.bind(row.listName, to: handle, at: parameter + 1)
                Self.bind(row.sections, to: handle, at: parameter + 2)
                Self.bind(row.tags, to: handle, at: parameter + 3)
                Self.bind(row.mutedSections, to: handle, at: parameter + 4)
                Self.bind(row.mutedTags, to: handle, at: parameter + 5)
            }
            try step(statement)
        }
        queue.bytes.removeAll(keepingCapacity: true)
        queue.subscribers.removeAll(keepingCapacity: true)
        queue.subscriptions.removeAll(keepingCapacity: true)
    }

    /// Notes an address the slow path added, so `queueIfNew` refuses it from then on.
    func noteAdded(_ email: String) {
        // Not loaded yet (nil): loading reads the table, this address included.
        var email = email
        email.withUTF8 { _ = knownAddresses?.insert(Self.addressKey($0)) }
    }

    /// A key equal for addresses equal without regard to case as the `email` column compares
    /// them (`COLLATE NOCASE` folds ASCII letters only): FNV-1a of the bytes, A–Z lowered.
    /// Different addresses may share a key; `queueIfNew` then takes the slow path, no harm.
    static func addressKey(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64((0x41...0x5A).contains(byte) ? byte | 0x20 : byte)) &* 0x100_0000_01b3
        }
        return hash
    }

    /// `addressKey` of every address in the table.
    private func addressKeys() throws -> KeySet {
        var keys = KeySet()
        let any = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM subscriber)") ?? false
        guard any else { return keys }
        let statement = try db.makeStatement(sql: "SELECT email FROM subscriber WHERE email IS NOT NULL")
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return keys }
            guard code == SQLITE_ROW else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            let text = sqlite3_column_text(handle, 0)
            _ = keys.insert(Self.addressKey(UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, 0)))))
        }
    }

    /// Calls `body` with (start, count) pieces of 0..<total: 128 rows, then powers of two,
    /// so a few statements cover any count.
    private func inChunks(_ total: Int, _ body: (Int, Int) throws -> Void) rethrows {
        var start = 0
        var size = Queue.chunk
        while start < total {
            while size > total - start { size /= 2 }
            try body(start, size)
            start += size
        }
    }

    /// `INSERT … VALUES (…), (…)` for `rows` rows; `?1` is the time stamp, bound once.
    private func multiRowInsert(subscribers: Bool, rows: Int) throws -> Statement {
        if let statement = subscribers ? subscriberInserts[rows] : subscriptionInserts[rows] { return statement }
        let sql: String
        if subscribers {
            // No id: AUTOINCREMENT's own is cheaper than checking a given one is free.
            let values = (0..<rows).map { row in
                let first = 2 + 3 * row
                return "(?\(first), ?\(first + 1), ?\(first + 2), ?1)"
            }
            sql = "INSERT INTO subscriber (email, name, status, createdAt) VALUES " + values.joined(separator: ", ")
        } else {
            let values = (0..<rows).map { row in
                let first = 2 + 6 * row
                return "(" + (first..<first + 6).map { "?\($0)" }.joined(separator: ", ") + ", ?1)"
            }
            // As `save(_:)`: a list named twice in one row is saved twice, the second time as an update.
            sql = """
                INSERT INTO subscription (subscriberId, listName, sections, tags, mutedSections, mutedTags, createdAt)
                VALUES \(values.joined(separator: ", "))
                ON CONFLICT (subscriberId, listName) DO UPDATE SET sections = excluded.sections, tags = excluded.tags,
                    mutedSections = excluded.mutedSections, mutedTags = excluded.mutedTags
                """
        }
        let statement = try db.makeStatement(sql: sql)
        Self.bind(stamp, to: statement.sqliteStatement, at: 1)
        if subscribers { subscriberInserts[rows] = statement } else { subscriptionInserts[rows] = statement }
        return statement
    }

    /// Runs a statement that returns no rows, then resets it (its bindings stay).
    private func step(_ statement: Statement) throws {
        let handle = statement.sqliteStatement
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
        sqlite3_reset(handle)
    }

    /// SQLite copies the bytes (`SQLITE_TRANSIENT`) into a buffer the statement keeps.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static func bind(_ bytes: UnsafeBufferPointer<UInt8>, to statement: SQLiteStatement, at index: Int32) {
        // Never a null pointer, which SQLite would bind as NULL: no bytes are ''.
        withUnsafePointer(to: 0 as CChar) { empty in
            let pointer = bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) } ?? empty
            _ = sqlite3_bind_text(statement, index, pointer, Int32(bytes.count), transient)
        }
    }

    private static func bind(_ text: String, to statement: SQLiteStatement, at index: Int32) {
        var text = text
        text.withUTF8 { bind($0, to: statement, at: index) }
    }
}

/// A set of `addressKey`s: open addressing over a power-of-two table, at most half full.
/// The keys are hashes already; `Set<UInt64>` hashed them again (SipHash), a twentieth of
/// an import.
struct KeySet {
    private var slots = [UInt64](repeating: 0, count: 1 << 16)
    private var count = 0

    /// Inserts `key`; false when it was there. (0 marks an empty slot, so key 0 is stored as 1.)
    mutating func insert(_ key: UInt64) -> Bool {
        let key = key == 0 ? 1 : key
        if (count + 1) * 2 > slots.count { grow() }
        let inserted = Self.insert(key, into: &slots)
        if inserted { count += 1 }
        return inserted
    }

    private static func insert(_ key: UInt64, into slots: inout [UInt64]) -> Bool {
        let mask = slots.count - 1
        // The high bits of a multiply spread FNV's output over the table.
        var index = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while true {
            let slot = slots[index]
            if slot == 0 {
                slots[index] = key
                return true
            }
            if slot == key { return false }
            index = (index + 1) & mask
        }
    }

    private mutating func grow() {
        var larger = [UInt64](repeating: 0, count: slots.count * 2)
        for key in slots where key != 0 { _ = Self.insert(key, into: &larger) }
        slots = larger
    }
}
