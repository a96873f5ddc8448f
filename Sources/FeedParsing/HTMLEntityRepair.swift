import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Rewrites what XML does not define but feeds write anyway, before libxml2 reads them:
/// HTML named entities (`&aacute;`, `&nbsp;`, `&rsquo;`) become numeric references, and an
/// `&` that starts no reference (`?a=1&b=2`, `AT&T`, `Sloppy & Sons`, `&bogus;`) becomes
/// `&amp;`. Only run on a document that failed a strict parse (`FeedParser`).
///
/// Without this, libxml2's recovery parser drops each undefined entity together with the
/// space around it ("testing &aacute; entity" read as "testing entity"). Numeric references
/// mean the same in every ASCII-compatible encoding, so the bytes need no decoding first.
/// CDATA sections and comments are left alone (an entity means nothing there), as are
/// entities the document's own DOCTYPE declares. A document without `&` followed by a
/// letter, space or other stray `&` is returned untouched without copying; the scan jumps
/// between `&`s with `memchr`.
enum HTMLEntityRepair {
    /// What the repair changed, for the document's warning.
    struct Repair {
        var data: Data
        /// The HTML entity names read as their characters, in order of first use.
        var decodedNames: [String]
        /// How many `&`s began no known reference and were kept as text.
        var escapedAmpersands: Int

        /// One line for `ParsedFeed.warnings`: the document is not well-formed XML, and
        /// what was done about it.
        var warning: String {
            var parts: [String] = []
            if !decodedNames.isEmpty {
                let more = decodedNames.count > 3 ? ", …" : ""
                let names = decodedNames.prefix(3).map { "&\($0);" }.joined(separator: ", ") + more
                parts.append("HTML entities XML does not define (\(names)) read as their characters")
            }
            if escapedAmpersands > 0 {
                parts.append("\(escapedAmpersands) '&' that start\(escapedAmpersands == 1 ? "s" : "") no entity kept as text")
            }
            return "recovered from ill-formed XML: " + parts.joined(separator: "; ")
        }
    }

    /// The repaired document, or nil when there was nothing to repair.
    static func repair(_ data: Data) -> Repair? {
        data.withUnsafeBytes { raw -> Repair? in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
            var scanner = Scanner(base: base, count: raw.count)
            return scanner.run()
        }
    }

    /// The XML predefined entities, which need nothing.
    private static func isPredefined(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        switch name.count {
        case 2: return (name[0] == 0x6C || name[0] == 0x67) && name[1] == 0x74  // lt, gt
        case 3: return name[0] == 0x61 && name[1] == 0x6D && name[2] == 0x70  // amp
        case 4: return name.elementsEqual("quot".utf8) || name.elementsEqual("apos".utf8)
        default: return false
        }
    }

    /// Each entity name's numeric references (`&#xE1;`), read once from the generated table.
    static let references: [String: [UInt8]] = {
        var table: [String: [UInt8]] = [:]
        table.reserveCapacity(2_200)
        for row in HTMLEntityTable.rows.split(separator: "\n") {
            let fields = row.split(separator: " ")
            guard let name = fields.first else { continue }
            table[String(name)] = Array(fields.dropFirst().map { "&#x\($0);" }.joined().utf8)
        }
        return table
    }()

    /// The longest name worth looking up (the table's longest is 31 letters).
    private static let maxNameLength = 32

    private struct Scanner {
        let base: UnsafePointer<UInt8>
        let count: Int
        var output: [UInt8] = []
        /// Input bytes before this offset are already in `output` (or need no copy).
        var copied = 0
        var decodedNames: [String] = []
        var escapedAmpersands = 0
        var declared: Set<String> = []

        init(base: UnsafePointer<UInt8>, count: Int) {
            self.base = base
            self.count = count
        }

        mutating func run() -> Repair? {
            var cursor = 0
            var section = -1  // the next `<!` section's offset; looked for at the first '&'
            while cursor < count, let found = memchr(base + cursor, 0x26, count - cursor) {
                let at = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
                if section < 0 { section = nextSection(from: 0) }
                if section < at {
                    cursor = skipSection(at: section)
                    section = nextSection(from: cursor)
                    continue
                }
                cursor = at + 1
                guard cursor < count, isLetter(base[cursor]) else {
                    if cursor < count, base[cursor] == 0x23 { continue }  // '#': a character reference
                    replace(at, length: 1, with: Array("&amp;".utf8))  // "Sloppy & Sons"
                    escapedAmpersands += 1
                    continue
                }
                var end = cursor
                while end < count, end - cursor <= HTMLEntityRepair.maxNameLength, isNameByte(base[end]) { end += 1 }
                let name = UnsafeBufferPointer(start: base + cursor, count: end - cursor)
                guard end < count, base[end] == 0x3B else {  // no ';': a bare '&'
                    replace(at, length: 1, with: Array("&amp;".utf8))
                    escapedAmpersands += 1
                    continue
                }
                if HTMLEntityRepair.isPredefined(name) { continue }
                let key = String(decoding: name, as: UTF8.self)
                if declared.contains(key) { continue }
                if let reference = HTMLEntityRepair.references[key] {
                    replace(at, length: end + 1 - at, with: reference)
                    if !decodedNames.contains(key) { decodedNames.append(key) }
                } else {
                    replace(at, length: 1, with: Array("&amp;".utf8))
                    escapedAmpersands += 1
                }
                cursor = end + 1
            }
            guard copied > 0 else { return nil }
            output.append(contentsOf: UnsafeBufferPointer(start: base + copied, count: count - copied))
            return Repair(data: Data(output), decodedNames: decodedNames, escapedAmpersands: escapedAmpersands)
        }

        /// Copies the input up to `offset`, then `bytes` in place of `length` input bytes.
        private mutating func replace(_ offset: Int, length: Int, with bytes: [UInt8]) {
            if copied == 0 { output.reserveCapacity(count + count / 16) }
            output.append(contentsOf: UnsafeBufferPointer(start: base + copied, count: offset - copied))
            output.append(contentsOf: bytes)
            copied = offset + length
        }

        /// The offset of the next `<!` at or after `offset` (CDATA, comment, DOCTYPE or a
        /// declaration), or `count`. Jumps between `!`s, which markup rarely holds.
        private func nextSection(from offset: Int) -> Int {
            var cursor = offset + 1
            while cursor < count, let found = memchr(base + cursor, 0x21, count - cursor) {
                let at = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
                if base[at - 1] == 0x3C { return at - 1 }
                cursor = at + 1
            }
            return count
        }

        /// Where scanning resumes after the `<!` section at `offset`: past the end of a CDATA
        /// section or comment; just inside anything else (an `<!ENTITY` name is remembered).
        private mutating func skipSection(at offset: Int) -> Int {
            if starts(at: offset + 2, with: "[CDATA[") { return end(of: UInt8(ascii: "]"), from: offset + 9) }
            if starts(at: offset + 2, with: "--") { return end(of: UInt8(ascii: "-"), from: offset + 4) }
            if starts(at: offset + 2, with: "ENTITY") {
                var start = offset + 8
                while start < count, base[start] == 0x20 || base[start] == 0x09 || base[start] == 0x0A || base[start] == 0x25 {
                    start += 1
                }
                var end = start
                while end < count, isNameByte(base[end]) { end += 1 }
                declared.insert(String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self))
            }
            return offset + 2
        }

        /// The offset after the next `]]>` or `-->` (`twice` doubled, then `>`) from `offset`.
        private func end(of twice: UInt8, from offset: Int) -> Int {
            var cursor = offset
            while cursor < count, let found = memchr(base + cursor, 0x3E, count - cursor) {
                let at = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
                if at - 2 >= offset, base[at - 1] == twice, base[at - 2] == twice { return at + 1 }
                cursor = at + 1
            }
            return count
        }

        private func starts(at offset: Int, with text: StaticString) -> Bool {
            let length = text.utf8CodeUnitCount
            guard offset + length <= count else { return false }
            return memcmp(base + offset, text.utf8Start, length) == 0
        }

        private func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
        private func isNameByte(_ byte: UInt8) -> Bool { isLetter(byte) || (byte >= 0x30 && byte <= 0x39) }
    }
}
