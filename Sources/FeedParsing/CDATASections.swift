import CLibXML2
import Foundation

/// A feed's bytes with the contents of its CDATA sections taken out, so that libxml2's strict
/// parse does not read them; the tree it builds is the one the whole feed gives. libxml2 reads
/// that document from the feed's own bytes, skipping the sections' contents as it goes
/// (`gz_read_stripped_restoring_cdata`): it is never written out.
///
/// Why: a WordPress feed is mostly `content:encoded` and `description` CDATA, and libxml2
/// reads CDATA a character at a time (`xmlParseCDSect`, `xmlCurrentChar`), copying it into a
/// buffer of its own: that was a third of parsing a feed. Here each section's end is found
/// with a byte search and its characters checked as libxml2 would check them; libxml2 then
/// reads `<![CDATA[]]>`, and the callback it makes for that empty section (`cdataBlock`,
/// `gz_cdata_block` in the C shim) hands the tree builder the section's real bytes, exactly
/// as a parse of the whole feed with `XML_PARSE_NOCDATA` hands them over (as `characters`).
///
/// Only for a document libxml2 reads as UTF-8 whose bytes are valid UTF-8: the check of each
/// character is then whether XML allows it (no C0 control but tab, line feed and carriage
/// return; no U+FFFE or U+FFFF). A section with a carriage return is left in place, since
/// libxml2 turns line ends into line feeds there; so is one libxml2 would refuse as too big.
/// Anything this scan is unsure of (a DOCTYPE, whose internal subset may hide markup; an
/// unclosed comment, processing instruction or section; a character XML forbids) makes it
/// give up, and the feed is parsed whole, as before. So does any disagreement between this
/// scan and libxml2: the callback checks that each section ends where this scan says.
struct CDATASections {
    /// Three numbers a section, in document order: where its content starts in the feed, the
    /// content's length (-1 when it was left in place), and where the section ends in the
    /// document libxml2 reads (the feed without the contents taken out; just past its `]]>`).
    private(set) var table: [Int] = []

    var count: Int { table.count / 3 }

    /// libxml2's limit on one text node without `XML_PARSE_HUGE` (`XML_MAX_TEXT_LENGTH`):
    /// a longer section must fail the strict parse as it did.
    private static let largestSection = 10_000_000

    /// The feed's sections, or nil when it has none worth taking out or the scan gives up.
    static func strip(_ data: Data) -> CDATASections? {
        data.withUnsafeBytes { raw -> CDATASections? in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
            return strip(UnsafeBufferPointer(start: base, count: raw.count))
        }
    }

    static func strip(_ bytes: UnsafeBufferPointer<UInt8>) -> CDATASections? {
        var result = CDATASections()
        var index = 0
        var stripped = 0
        let count = bytes.count
        func starts(with prefix: StaticString, at offset: Int) -> Bool {
            let length = prefix.utf8CodeUnitCount
            guard offset + length <= count else { return false }
            let text = prefix.utf8Start
            for position in 0..<length where bytes[offset + position] != text[position] { return false }
            return true
        }
        /// Where `terminator` first starts at or after `offset`, or nil.
        func find(_ terminator: StaticString, from offset: Int) -> Int? {
            let length = terminator.utf8CodeUnitCount
            let first = terminator.utf8Start[0]
            var position = offset
            while position + length <= count {
                guard let hit = memchr(bytes.baseAddress! + position, Int32(first), count - position) else { return nil }
                let at = bytes.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if starts(with: terminator, at: at) { return at }
                position = at + 1
            }
            return nil
        }
        while index < count {
            guard let hit = memchr(bytes.baseAddress! + index, Int32(UInt8(ascii: "<")), count - index) else { break }
            let open = bytes.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if starts(with: "<![CDATA[", at: open) {
                let contentStart = open + 9
                guard let end = sectionEnd(bytes, from: contentStart) else { return nil }
                let length = end.terminator - contentStart
                if end.hasCarriageReturn || length > largestSection {
                    result.appendSection(contentStart, -1, end.terminator + 3 - stripped)
                } else {
                    stripped += length
                    result.appendSection(contentStart, length, end.terminator + 3 - stripped)
                }
                index = end.terminator + 3
            } else if starts(with: "<!--", at: open) {
                guard let end = find("-->", from: open + 4) else { return nil }
                index = end + 3
            } else if starts(with: "<?", at: open) {
                guard let end = find("?>", from: open + 2) else { return nil }
                index = end + 2
            } else if starts(with: "<!", at: open) {
                return nil  // a DOCTYPE (or not XML): parsed whole
            } else {
                // A tag. Its attribute values may hold `>` but never `<` (or the feed is not
                // well-formed, and stays so without its sections' content), so the next `<`
                // starts the next piece of markup.
                index = open + 1
            }
        }
        guard stripped > 0 else { return nil }
        return result
    }

    /// Three appends, not an array of three to append (one allocation per section).
    private mutating func appendSection(_ contentStart: Int, _ length: Int, _ end: Int) {
        table.append(contentStart)
        table.append(length)
        table.append(end)
    }

    /// Where the section whose content starts at `start` has its `]]>`, and whether its
    /// content holds a carriage return; nil when it is unclosed or holds a character XML
    /// forbids (the bytes are valid UTF-8, so the multi-byte ones to look for are U+FFFE
    /// and U+FFFF, EF BF BE and EF BF BF).
    private static func sectionEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int)
        -> (terminator: Int, hasCarriageReturn: Bool)?
    {
        var carriageReturn = false
        var index = start
        let count = bytes.count
        let raw = UnsafeRawBufferPointer(bytes)
        while index < count {
            // Sixteen bytes at a time (SSE2, `gz_cdata_plain_prefix`) while none is a control, `]`
            // or 0xEF: most of any text, and this loop reads most of a feed's bytes.
            if index + 16 <= count {
                let plain = gz_cdata_plain_prefix(bytes.baseAddress! + index, count - index)
                if plain > 0 {
                    index += plain
                    continue
                }
            }
            if index + 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if !hasByte(below: 0x20, in: word) && !hasByte(word, equalTo: 0x5D) && !hasByte(word, equalTo: 0xEF) {
                    index += 8
                    continue
                }
            }
            let byte = bytes[index]
            if byte > UInt8(ascii: "]") && byte != 0xEF || byte >= 0x20 && byte < UInt8(ascii: "]") {
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "]"):
                if index + 2 < count, bytes[index + 1] == UInt8(ascii: "]"), bytes[index + 2] == UInt8(ascii: ">") {
                    return (index, carriageReturn)
                }
            case 0xEF:
                if index + 2 < count, bytes[index + 1] == 0xBF, bytes[index + 2] >= 0xBE { return nil }
            case 0x09, 0x0A:
                break
            case 0x0D:
                carriageReturn = true
            default:
                return nil  // another C0 control
            }
            index += 1
        }
        return nil
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Whether a byte of `word` is below `limit` (at most 0x80): the classic bit trick, exact.
    @inline(__always)
    private static func hasByte(below limit: UInt64, in word: UInt64) -> Bool {
        (word &- ones &* limit) & ~word & highBits != 0
    }

    @inline(__always)
    private static func hasByte(_ word: UInt64, equalTo byte: UInt64) -> Bool {
        hasByte(below: 1, in: word ^ (ones &* byte))
    }

    /// libxml2's strict parse of the stripped document, each section's content given back to the tree
    /// builder, and how many elements were left with their text in the feed (`VirtualText`);
    /// no document when libxml2 finds it not well-formed or disagrees with this scan about
    /// where a section is (the caller then parses the feed whole).
    func parse(original: Data, baseURL: String?, encoding: String?, options: Int32) -> (document: xmlDocPtr?, virtualCount: Int) {
        original.withUnsafeBytes { raw -> (xmlDocPtr?, Int) in
            guard let originalBase = raw.baseAddress?.assumingMemoryBound(to: xmlChar.self) else { return (nil, 0) }
            return table.withUnsafeBufferPointer { table -> (xmlDocPtr?, Int) in
                var map = gz_cdata_map()
                map.original = originalBase
                map.sections = table.baseAddress
                map.count = table.count / 3
                let parsed = gz_read_stripped_restoring_cdata(originalBase, raw.count, baseURL, encoding, options, &map)
                return (parsed, map.virtualCount)
            }
        }
    }

    /// The feed's bytes where the elements whose text stayed there read it from.
    func virtualText(of original: Data) -> VirtualText { VirtualText(original: original, table: table) }
}

/// The text of elements that libxml2's tree holds no text node for (`gz_cdata_block` marks
/// them in `_private` with their section's number plus one): a section of the feed's bytes.
struct VirtualText {
    let original: Data
    let table: [Int]

    func bytes(ofSection index: Int) -> Data {
        let start = original.startIndex + table[3 * index]
        return original[start..<(start + table[3 * index + 1])]
    }
}
