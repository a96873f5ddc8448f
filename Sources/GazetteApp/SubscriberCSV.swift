import GazetteModel

/// Reads subscriber CSV files: RFC 4180 with a header row naming the columns
/// (`email` required; `name`, `lists`, `sections`, `tags`, `mute_sections`, `mute_tags`
/// optional; several values in one
/// field separated by ";"). UTF-8 with or without a byte-order mark.
///
/// Hand-written rather than a library: an import must report each bad row by its line number
/// in the file, and quoted fields may span lines, which row-based CSV readers do not track.
public enum SubscriberCSV {
    public struct Row: Sendable, Hashable {
        /// The file line the record starts on, 1-based.
        public var line: Int
        public var request: NewSubscriber
    }

    public struct Parsed: Sendable {
        public var rows: [Row]
        public var problems: [String]
    }

    public static func parse(_ text: String) throws -> Parsed {
        let records = records(in: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        guard let header = records.first else { throw AdminError.csv(file: "CSV", problems: ["the file is empty"]) }
        let columns = header.fields.map { $0.trimmingWhitespace().lowercased() }
        guard let emailColumn = columns.firstIndex(of: "email") else {
            throw AdminError.csv(file: "CSV", problems: ["line 1: the header has no 'email' column (found: \(columns.joined(separator: ", ")))"])
        }
        func value(_ name: String, in fields: [String]) -> String? {
            guard let index = columns.firstIndex(of: name), index < fields.count else { return nil }
            let value = fields[index].trimmingWhitespace()
            return value.isEmpty ? nil : value
        }
        func values(_ name: String, in fields: [String]) -> [String] {
            (value(name, in: fields) ?? "").split(separator: ";").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        }
        var rows: [Row] = []
        var problems: [String] = []
        var seen = Set<String>()
        for record in records.dropFirst() {
            if record.fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { continue }
            if record.fields.count != columns.count {
                problems.append("line \(record.line): \(record.fields.count) fields where the header has \(columns.count)")
                continue
            }
            let raw = record.fields[emailColumn]
            guard case .success(let email) = EmailAddress.validate(raw) else {
                if case .failure(let problem) = EmailAddress.validate(raw) { problems.append("line \(record.line): \(problem)") }
                continue
            }
            guard seen.insert(email.lowercased()).inserted else {
                problems.append("line \(record.line): \(email) appears earlier in the file")
                continue
            }
            rows.append(Row(line: record.line, request: NewSubscriber(
                email: email, name: value("name", in: record.fields), lists: values("lists", in: record.fields),
                sections: values("sections", in: record.fields).map(SectionPath.init(parsing:)),
                tags: values("tags", in: record.fields),
                mutedSections: values("mute_sections", in: record.fields).map(SectionPath.init(parsing:)),
                mutedTags: values("mute_tags", in: record.fields))))
        }
        return Parsed(rows: rows, problems: problems)
    }

    /// Splits CSV text into records of fields, noting the line each record starts on.
    static func records(in text: String) -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var characters = text.makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let value = pending { pending = nil; return value }
            return characters.next()
        }
        while let character = next() {
            if inQuotes {
                if character == "\"" {
                    if let following = next() {
                        if following == "\"" { field.append("\"") } else { inQuotes = false; pending = following }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty:
                inQuotes = true
            case ",":
                fields.append(field)
                field = ""
            case "\n", "\r\n", "\r":
                fields.append(field)
                records.append((recordLine, fields))
                fields = []
                field = ""
                line += 1
                recordLine = line
            default:
                field.append(character)
            }
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append((recordLine, fields))
        }
        return records
    }
}
