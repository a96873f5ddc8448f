import GazetteModel

extension SubscriberCSV {
    /// A row read straight from its record's bytes, no `String` made: the form nearly every
    /// row of an import has. Positions are in `RowReader.withRecordBytes`'s bytes.
    struct PlainRow {
        /// The address, as `EmailAddress.validate` returns it.
        var email: Range<Int>
        /// The name, trimmed; nil when empty or when the file has no `name` column.
        var name: Range<Int>?
        var status: SubscriberStatus?
        /// The preference columns' fields as they are in the file; nil without the column.
        var sections, tags, mutedSections, mutedTags: Range<Int>?
    }
}

extension SubscriberCSV.RowReader {
    /// Calls `body` with the bytes of the record `advance()` read.
    func withRecordBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try reader.withRecordBytes(body)
    }

    /// The record `advance()` read as a `PlainRow`, when it is one: no problem, every byte
    /// ASCII, an address `EmailAddress.validate` takes, a known status, and lists all among
    /// `knownLists` (their positions go into `lists` in the row's order, none when the row
    /// names no list). Nil for any other record: `current()` reads it and says what is wrong.
    func plainRow(knownLists: [[UInt8]], lists: inout [Int]) -> SubscriberCSV.PlainRow? {
        guard reader.structureProblem == nil, reader.fieldCount == width else { return nil }
        return reader.withRecordBytes { bytes -> SubscriberCSV.PlainRow? in
            var high: UInt8 = 0
            for byte in bytes { high |= byte }
            guard high < 0x80 else { return nil }
            func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
            func trimmed(_ range: Range<Int>) -> Range<Int> {
                var lower = range.lowerBound
                var upper = range.upperBound
                while lower < upper, isSpace(bytes[lower]) { lower += 1 }
                while upper > lower, isSpace(bytes[upper - 1]) { upper -= 1 }
                return lower..<upper
            }
            func value(_ column: Int?) -> Range<Int>? {
                guard let column else { return nil }
                let range = trimmed(reader.fieldRange(column))
                return range.isEmpty ? nil : range
            }

            let email = trimmed(reader.fieldRange(columns.email))
            guard EmailAddress.isValidAsIs(UnsafeBufferPointer(rebasing: bytes[email])) else { return nil }
            var status: SubscriberStatus?
            if let text = value(columns.status) {
                // As `SubscriberStatus(rawValue: text.lowercased())`, on ASCII bytes.
                let lowered = bytes[text].lazy.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
                guard let known = SubscriberStatus.allCases.first(where: { $0.rawValue.utf8.elementsEqual(lowered) }) else {
                    return nil
                }
                status = known
            }
            lists.removeAll(keepingCapacity: true)
            if let field = value(columns.lists) {
                // As `SubscriberCSV.split`: pieces between ";", trimmed, empty ones dropped.
                var start = field.lowerBound
                for position in field.lowerBound...field.upperBound where position == field.upperBound || bytes[position] == 0x3B
                {
                    let piece = trimmed(start..<position)
                    start = position + 1
                    if piece.isEmpty { continue }
                    guard let known = knownLists.firstIndex(where: { $0.elementsEqual(bytes[piece]) }) else { return nil }
                    lists.append(known)
                }
            }
            // Names and preferences that need cleaning or checking against their bounds take
            // the slow path, which says what is wrong (`SubscriberFields`).
            func isPlainText(_ range: Range<Int>?, within bound: Int) -> Bool {
                guard let range else { return true }
                return range.count <= bound && bytes[range].allSatisfy { (0x20...0x7E).contains($0) }
            }
            let preferences = [columns.sections, columns.tags, columns.mutedSections, columns.mutedTags]
            guard isPlainText(value(columns.name), within: SubscriberFields.maxNameLength),
                preferences.allSatisfy({ isPlainText(value($0), within: SubscriberFields.maxTopicLength) })
            else { return nil }
            return SubscriberCSV.PlainRow(
                email: email, name: value(columns.name), status: status, sections: columns.sections.map(reader.fieldRange),
                tags: columns.tags.map(reader.fieldRange), mutedSections: columns.mutedSections.map(reader.fieldRange),
                mutedTags: columns.mutedTags.map(reader.fieldRange))
        }
    }
}
