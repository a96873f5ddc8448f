import Foundation
import GazetteModel
import GazetteStore

/// `gazette subscribers import`: a CSV file into the database, streaming, in one transaction.
///
/// Rows are read one at a time and written through prepared statements; nothing holds the
/// file or its rows. Bad rows are reported by line and skipped; the good ones commit together
/// at the end, or nothing does (`strict` with a bad row, `dryRun`, or any database error).
///
/// Several rows for one address (compared without regard to case) merge into one subscriber:
/// their lists add up, each with its row's sections and tags. A row that contradicts an
/// earlier one (another name, other preferences for the same list) is reported instead.
public struct SubscriberImport: Sendable {
    public struct Options: Sendable {
        /// The list for rows that name none (default: every list).
        public var defaultList: String?
        /// Read and check everything, write nothing.
        public var dryRun = false
        /// Existing subscribers take the row's name, lists and preferences (default: left as they are).
        public var update = false
        /// One bad row and nothing is imported.
        public var strict = false
        /// Unsubscribed and bounced addresses in the file become active again. Only with consent.
        public var resubscribe = false
        /// Common rows take the byte-level path (`SubscriberCSV.PlainRow`); tests turn it off
        /// to check that both paths do the same.
        var plainRows = true

        public init(defaultList: String? = nil) {
            self.defaultList = defaultList
        }
    }

    public struct Report: Sendable, Codable {
        public var added = 0
        public var updated = 0
        /// Already subscribed and left as they were (no `update`).
        public var unchanged = 0
        /// Rows merged into an earlier row for the same address.
        public var merged = 0
        public var resubscribed = 0
        /// "line 9: x@y is unsubscribed; left as is": rows not applied on purpose.
        public var keptUnsubscribed: [String] = []
        /// "line 7: …", one per bad row.
        public var rejected: [String] = []
        /// False for a dry run, or a strict import with bad rows: nothing was written.
        public var committed = false
    }

    public var config: GazetteConfig
    public var options: Options

    public init(config: GazetteConfig, options: Options) {
        self.config = config
        self.options = options
    }

    /// Imports the CSV that `reader` reads; `file` names it in messages.
    /// - Throws: `AdminError.csv` for a file without a usable header, `ConfigError.unknownList`
    ///   for a bad `defaultList`, and database errors (then nothing is written).
    public func run(_ reader: CSVReader, file: String, environment: AppEnvironment) throws -> Report {
        if let list = options.defaultList { _ = try config.list(named: list) }
        var rows = try SubscriberCSV.RowReader(reader, file: file)
        let known = Set(config.lists.map(\.name))
        let allLists = config.lists.map(\.name)
        var report = Report()
        try environment.database.importSubscribers(at: environment.now()) { session in
            var state = State()
            var fast = FastPath(lists: config.lists.map(\.name), defaultLists: options.defaultList.map { [$0] } ?? allLists)
            var read = 0
            while try rows.advance() {
                read += 1
                if read % DeliveryCheckpoint.importRowsStep == 0 { environment.checkpoint(.importRows) }
                // Without tombstones to check, a new address is inserted straight away; only an
                // address already there (the insert does nothing) takes the path below.
                var tried = false
                if options.plainRows, !session.hasSuppressedAddresses,
                    let plain = rows.plainRow(knownLists: fast.knownLists, lists: &fast.lists),
                    fast.canTake
                {
                    if try fast.queueIfNew(plain, rows: rows, session: session) {
                        report.added += 1
                        continue
                    }
                    tried = true
                }
                switch rows.current() {
                case .failure(let problem):
                    report.rejected.append(problem.description)
                case .success(let row):
                    let lists = row.request.lists.isEmpty ? (options.defaultList.map { [$0] } ?? allLists) : row.request.lists
                    if let unknown = lists.first(where: { !known.contains($0) }) {
                        report.rejected.append(
                            "line \(row.line): no list named '\(unknown)' (lists: \(allLists.joined(separator: ", ")))")
                        continue
                    }
                    if let problem = try apply(
                        row, lists: lists, insertTried: tried, session: session, state: &state, report: &report)
                    {
                        report.rejected.append("line \(row.line): \(problem)")
                    }
                }
            }
            report.committed = !options.dryRun && !(options.strict && !report.rejected.isEmpty)
            environment.checkpoint(.beforeImportCommit)
            return report.committed
        }
        if report.committed { environment.checkpoint(.afterImportCommit) }
        return report
    }

    /// What this import did to the subscribers that were there before it, so later rows for
    /// the same address merge. (Those it added have ids above `session.lastIDBeforeImport`.)
    private struct State {
        var existing: [Int64: Bool] = [:]  // true: applied (updated), false: left as is
    }

    /// The common row (see `SubscriberCSV.PlainRow`) from the file's bytes into the
    /// statements: no `String`, `NewSubscriber` or `Subscription` per row.
    private struct FastPath {
        let names: [String]
        let knownLists: [[UInt8]]
        /// For a row that names no list; nil when one of them is not among `names` (the
        /// path below then says so for each such row).
        let defaultLists: [Int]?
        /// The row's lists, by position in `names`; one buffer for every row.
        var lists: [Int] = []
        /// Preference fields as JSON, by their text in the file: a file repeats a few values.
        var sectionsJSON: [String: String] = [:]
        var stringsJSON: [String: String] = [:]

        init(lists: [String], defaultLists: [String]) {
            names = lists
            knownLists = lists.map { Array($0.utf8) }
            let positions = defaultLists.compactMap { lists.firstIndex(of: $0) }
            self.defaultLists = positions.count == defaultLists.count ? positions : nil
        }

        /// Whether the row `plainRow` read last has lists to go to.
        var canTake: Bool { !lists.isEmpty || defaultLists != nil }

        /// Queues the row's subscriber and memberships (see `SubscriberImportSession.queueIfNew`);
        /// false when the address may be there already.
        mutating func queueIfNew(_ row: SubscriberCSV.PlainRow, rows: SubscriberCSV.RowReader, session: SubscriberImportSession)
            throws -> Bool
        {
            try rows.withRecordBytes { bytes in
                func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[range]) }
                guard
                    try session.queueIfNew(
                        emailUTF8: slice(row.email), nameUTF8: row.name.map(slice), status: row.status ?? .active)
                else { return false }
                let sections = json(row.sections.map(slice), sections: true)
                let tags = json(row.tags.map(slice), sections: false)
                let mutedSections = json(row.mutedSections.map(slice), sections: true)
                let mutedTags = json(row.mutedTags.map(slice), sections: false)
                for list in lists.isEmpty ? defaultLists ?? [] : lists {
                    session.queueSubscription(
                        listName: names[list], sectionsJSON: sections, tagsJSON: tags, mutedSectionsJSON: mutedSections,
                        mutedTagsJSON: mutedTags)
                }
                return true
            }
        }

        /// A preference field as `SubscriberCSV.RowReader` reads it, then as the session stores it.
        private mutating func json(_ field: UnsafeBufferPointer<UInt8>?, sections: Bool) -> String {
            guard let field, !field.isEmpty else { return "[]" }
            let text = String(decoding: field, as: UTF8.self)
            if let json = sections ? sectionsJSON[text] : stringsJSON[text] { return json }
            let values = SubscriberCSV.split(text.trimmingWhitespace())
            let json =
                sections
                ? SubscriberImportSession.json(sections: values.map(SectionPath.init(parsing:)))
                : SubscriberImportSession.json(strings: values)
            if sections {
                if sectionsJSON.count >= 4_096 { sectionsJSON.removeAll() }
                sectionsJSON[text] = json
            } else {
                if stringsJSON.count >= 4_096 { stringsJSON.removeAll() }
                stringsJSON[text] = json
            }
            return json
        }
    }

    /// Applies one good row. Returns why it cannot be applied, or nil.
    /// `insertTried`: the fast path found the address there already.
    private func apply(
        _ row: SubscriberCSV.Row, lists: [String], insertTried: Bool, session: SubscriberImportSession, state: inout State,
        report: inout Report
    ) throws -> String? {
        let request = row.request
        let subscriptions = request.subscriptions(in: lists)
        if !session.hasSuppressedAddresses, !insertTried,
            let id = try session.insertIfNew(email: request.email, name: request.name, status: row.status ?? .active)
        {
            try save(subscriptions, id: id, session: session)
            report.added += 1
            return nil
        }
        guard let found = try session.existing(email: request.email) else {
            var status = row.status ?? .active
            if status == .active, session.hasSuppressedAddresses, try session.isSuppressed(hash: Suppression.hash(request.email))
            {
                guard options.resubscribe else {
                    report.keptUnsubscribed.append(
                        "line \(row.line): \(request.email) unsubscribed or bounced before it was removed; not added (use --resubscribe)"
                    )
                    return nil
                }
                status = .active
                report.resubscribed += 1
            }
            let id = try session.insert(email: request.email, name: request.name, status: status)
            for var subscription in subscriptions {
                subscription.subscriberID = id
                try session.save(subscription)
            }
            report.added += 1
            return nil
        }
        let id = found.id
        // A later row for an address met earlier in this file: merge, or say what contradicts.
        if id > session.lastIDBeforeImport || state.existing[id] != nil {
            if state.existing[id] == false {
                report.merged += 1
                return nil
            }
            if let name = request.name, let earlier = found.name, name != earlier {
                return "\(request.email) appears on an earlier line with the name '\(earlier)'"
            }
            if let status = row.status, status != found.status {
                return "\(request.email) appears on an earlier line with the status \(found.status.rawValue)"
            }
            let current = try session.subscriptions(of: id)
            for var subscription in subscriptions {
                subscription.subscriberID = id
                if let earlier = current.first(where: { $0.listName == subscription.listName }) {
                    if earlier != subscription {
                        return
                            "\(request.email) appears on an earlier line for '\(subscription.listName)' with other sections or tags"
                    }
                } else {
                    try session.save(subscription)
                }
            }
            if found.name == nil, let name = request.name { try session.setName(name, id: id) }
            report.merged += 1
            return nil
        }
        // An address that was there before the import.
        let wanted = row.status ?? .active
        if found.status.isSticky, !wanted.isSticky {
            guard options.resubscribe else {
                state.existing[id] = false
                report.keptUnsubscribed.append(
                    "line \(row.line): \(found.email) is \(found.status.rawValue); left as is (use --resubscribe)")
                return nil
            }
            try session.setStatus(wanted, id: id)
            try save(subscriptions, id: id, session: session)
            if let name = request.name, name != found.name { try session.setName(name, id: id) }
            state.existing[id] = true
            report.resubscribed += 1
            return nil
        }
        guard options.update else {
            state.existing[id] = false
            report.unchanged += 1
            return nil
        }
        if let name = request.name, name != found.name { try session.setName(name, id: id) }
        if let status = row.status, status != found.status, found.status != .pending || status != .active {
            try session.setStatus(status, id: id)
        }
        try save(subscriptions, id: id, session: session)
        state.existing[id] = true
        report.updated += 1
        return nil
    }

    private func save(_ subscriptions: [Subscription], id: Int64, session: SubscriberImportSession) throws {
        for var subscription in subscriptions {
            subscription.subscriberID = id
            try session.save(subscription)
        }
    }
}

extension SubscriberAdmin {
    /// Imports CSV text (see `SubscriberImport`); bad rows are reported by line and skipped.
    public func importCSV(
        text: String, options: SubscriberImport.Options = SubscriberImport.Options(), environment: AppEnvironment
    ) throws -> SubscriberImport.Report {
        try SubscriberImport(config: config, options: options).run(CSVReader(text: text), file: "CSV", environment: environment)
    }

    /// Imports CSV text into `defaultList` for rows that name no list.
    public func importCSV(text: String, defaultList: String?, environment: AppEnvironment) throws -> SubscriberImport.Report {
        try importCSV(text: text, options: SubscriberImport.Options(defaultList: defaultList), environment: environment)
    }
}
