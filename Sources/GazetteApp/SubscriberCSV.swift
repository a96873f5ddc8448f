import GazetteModel

/// The subscriber CSV format (see `subscribers/README.md`): RFC 4180 with a header row naming
/// the columns, `email` required; `name`, `lists`, `sections`, `tags`, `mute_sections`,
/// `mute_tags` and `status` optional; several values in one field separated by ";".
///
/// `export` writes every column, so exporting, importing into an empty database and exporting
/// again gives the same file.
///
/// The reader is our own (`CSVReader`): an import must report each bad row by its line
/// number in the file, and quoted fields may span lines, which row-based readers do not track.
public enum SubscriberCSV {
    public static let columns = ["email", "name", "lists", "sections", "tags", "mute_sections", "mute_tags", "status"]

    public struct Row: Sendable, Hashable {
        /// The file line the record starts on, 1-based.
        public var line: Int
        public var request: NewSubscriber
        /// The `status` column, when the file has one and the row fills it.
        public var status: SubscriberStatus?
    }

    /// Maps records to rows by the header's column names.
    public struct RowReader {
        private(set) var reader: CSVReader
        private let index: [String: Int]
        let width: Int
        /// Where each column is, for `plainRow`: `index` looked up once, not per row.
        let columns: Columns

        struct Columns {
            var email = 0
            var name, lists, sections, tags, mutedSections, mutedTags, status: Int?
        }

        /// Reads the header.
        /// - Throws: `AdminError.csv` for an empty file, a header without `email`, or an unknown column.
        public init(_ reader: CSVReader, file: String) throws {
            self.reader = reader
            guard let header = try self.reader.next() else { throw AdminError.csv(file: file, problems: ["the file is empty"]) }
            let names = header.fields.map { $0.trimmingWhitespace().lowercased() }
            guard names.contains("email") else {
                throw AdminError.csv(
                    file: file, problems: ["line 1: the header has no 'email' column (found: \(names.joined(separator: ", ")))"])
            }
            if let unknown = names.first(where: { !SubscriberCSV.columns.contains($0) }) {
                throw AdminError.csv(
                    file: file,
                    problems: [
                        "line 1: unknown column '\(unknown)'; the columns are \(SubscriberCSV.columns.joined(separator: ", "))"
                    ])
            }
            var index: [String: Int] = [:]
            for (position, name) in names.enumerated() where index[name] == nil { index[name] = position }
            self.index = index
            width = names.count
            columns = Columns(
                email: index["email"] ?? 0, name: index["name"], lists: index["lists"], sections: index["sections"],
                tags: index["tags"], mutedSections: index["mute_sections"], mutedTags: index["mute_tags"], status: index["status"]
            )
        }

        /// The next row, or the reason the next record is bad ("line 7: …"); nil at the end.
        /// Blank lines are skipped.
        public mutating func next() throws -> Result<Row, RowProblem>? {
            try advance() ? current() : nil
        }

        /// Reads the next record that is not blank into the reader; false at the end.
        /// `current()` or `plainRow(…)` then reads it as a row.
        public mutating func advance() throws -> Bool {
            while try reader.advance() {
                if !isBlank() { return true }
            }
            return false
        }

        /// The row `advance()` read, or the reason it is bad.
        public func current() -> Result<Row, RowProblem> {
            row(reader.record)
        }

        /// Whether every field of the record `advance()` read is empty or whitespace.
        private func isBlank() -> Bool {
            var nonASCII = false
            let blank = reader.withRecordBytes { bytes in
                bytes.allSatisfy { byte in
                    if byte >= 0x80 { nonASCII = true }
                    return byte == 0x20 || (0x09...0x0D).contains(byte) || byte >= 0x80
                }
            }
            // Bytes of 0x80 and up may be Unicode whitespace (U+00A0…): the `String` check decides.
            guard blank, nonASCII else { return blank }
            return reader.record.fields.allSatisfy { $0.trimmingWhitespace().isEmpty }
        }

        private func row(_ record: CSVReader.Record) -> Result<Row, RowProblem> {
            func fail(_ reason: String) -> Result<Row, RowProblem> { .failure(RowProblem(line: record.line, reason: reason)) }
            if let problem = record.problem { return fail(problem) }
            if record.fields.count != width { return fail("\(record.fields.count) fields where the header has \(width)") }
            func value(_ name: String) -> String? {
                guard let position = index[name] else { return nil }
                let value = record.fields[position].trimmingWhitespace()
                return value.isEmpty ? nil : value
            }
            func values(_ name: String) -> [String] { SubscriberCSV.split(value(name)) }
            let email: String
            switch EmailAddress.validate(record.fields[index["email"] ?? 0]) {
            case .success(let valid): email = valid
            case .failure(let problem): return fail(problem.description)
            }
            var status: SubscriberStatus?
            if let text = value("status") {
                guard let known = SubscriberStatus(rawValue: text.lowercased()) else {
                    return fail(
                        "unknown status '\(text)'; use \(SubscriberStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                status = known
            }
            let request = NewSubscriber(
                email: email, name: value("name"), lists: values("lists"),
                sections: values("sections").map(SectionPath.init(parsing:)), tags: values("tags"),
                mutedSections: values("mute_sections").map(SectionPath.init(parsing:)), mutedTags: values("mute_tags"))
            switch SubscriberFields.checked(request) {
            case .success(let checked): return .success(Row(line: record.line, request: checked, status: status))
            case .failure(let problem): return fail(problem.reason)
            }
        }
    }

    /// A record that cannot be imported, and why.
    public struct RowProblem: Error, Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    public struct Parsed: Sendable {
        public var rows: [Row]
        public var problems: [String]
    }

    /// Every row of a small CSV text at once (tests, previews); imports stream with `RowReader`.
    public static func parse(_ text: String) throws -> Parsed {
        var reader = try RowReader(CSVReader(text: text), file: "CSV")
        var parsed = Parsed(rows: [], problems: [])
        while let next = try reader.next() {
            switch next {
            case .success(let row): parsed.rows.append(row)
            case .failure(let problem): parsed.problems.append(problem.description)
            }
        }
        return parsed
    }

    /// "a; b;c" → ["a", "b", "c"].
    static func split(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        // By byte (";" is ASCII, so every piece is whole UTF-8): a million-row import splits every field.
        return text.utf8.split(separator: UInt8(ascii: ";")).compactMap { piece in
            let value = String(Substring(piece)).trimmingWhitespace()
            return value.isEmpty ? nil : value
        }
    }

    /// The header line of an export.
    public static var header: String { CSVWriter.line(columns) }

    /// A subscriber's lines in an export: one per group of lists where they follow and mute
    /// the same things (usually one line), which an import merges back into one subscriber.
    public static func lines(_ subscriber: Subscriber, _ subscriptions: [Subscription]) -> String {
        struct Preferences: Hashable {
            var sections: [SectionPath], tags: [String], mutedSections: [SectionPath], mutedTags: [String]
        }
        var groups: [(Preferences, [String])] = []
        for subscription in subscriptions {
            let preferences = Preferences(
                sections: subscription.sections, tags: subscription.tags, mutedSections: subscription.mutedSections,
                mutedTags: subscription.mutedTags)
            if let index = groups.firstIndex(where: { $0.0 == preferences }) {
                groups[index].1.append(subscription.listName)
            } else {
                groups.append((preferences, [subscription.listName]))
            }
        }
        if groups.isEmpty { groups = [(Preferences(sections: [], tags: [], mutedSections: [], mutedTags: []), [])] }
        return groups.map { preferences, lists in
            CSVWriter.line([
                subscriber.email, subscriber.name ?? "", lists.joined(separator: ";"),
                preferences.sections.map(\.description).joined(separator: ";"), preferences.tags.joined(separator: ";"),
                preferences.mutedSections.map(\.description).joined(separator: ";"), preferences.mutedTags.joined(separator: ";"),
                subscriber.status.rawValue,
            ])
        }.joined()
    }
}
