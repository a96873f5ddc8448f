import CLibXML2
import Foundation

/// Decides how feed bytes are decoded, before libxml2 sees them.
///
/// The order follows RFC 7303: a byte-order mark wins, then the HTTP `charset`, then the
/// XML declaration (which libxml2 reads itself). A document that claims UTF-8 (or claims
/// nothing) but is not valid UTF-8 is read as windows-1252, the encoding such feeds are
/// almost always really in, with a warning.
enum FeedEncoding {
    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    /// The encoding libxml2 should be told to use (nil: let it read the declaration), and
    /// whether libxml2 will read the bytes as UTF-8 and they are valid UTF-8: known here
    /// already (this is where the bytes are checked), and what lets the strict parse skip
    /// CDATA content (`XMLTree.parseStrictly`).
    static func reading(of data: Data, contentType: String?, warnings: inout [String]) -> (encoding: String?, validUTF8: Bool) {
        if hasByteOrderMark(data) { return (nil, false) }
        if let charset = charset(fromContentType: contentType) {
            guard isUTF8Name(charset) else { return (charset, false) }
            if !isValidUTF8(data) {
                warnings.append("the server says UTF-8 but the bytes are not; read as windows-1252")
                return ("windows-1252", false)
            }
            return (charset, true)
        }
        let declared = declaredEncoding(data)
        guard declared.map(isUTF8Name) ?? true else { return (nil, false) }
        if !isValidUTF8(data) {
            warnings.append("the feed is not valid UTF-8 and names no other encoding; read as windows-1252")
            return ("windows-1252", false)
        }
        return (nil, true)
    }

    /// The `charset` parameter of a Content-Type header, lowercased.
    static func charset(fromContentType contentType: String?) -> String? {
        guard let contentType else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else { continue }
            let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: " \"'")).lowercased()
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// The `encoding` of the XML declaration, when there is one.
    ///
    /// Read from the bytes (a `String` of the head and two Foundation searches were 3% of
    /// parsing a feed); a name with a non-ASCII byte, which no real declaration has, is read
    /// the way it always was.
    static func declaredEncoding(_ data: Data) -> String? {
        let head = Array(data.prefix(256))
        guard head.starts(with: Array("<?xml".utf8)), let end = firstIndex(of: Array("?>".utf8), in: head[...]),
            let key = firstIndex(of: Array("encoding".utf8), in: head[..<end])
        else { return nil }
        let rest = head[(key + 8)..<end].drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "=") }
        guard let quote = rest.first, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
        let name = rest.dropFirst().prefix { $0 != quote }
        guard name.allSatisfy({ $0 < 0x80 }) else { return declaredEncodingOfText(data) }
        return String(decoding: name, as: UTF8.self).lowercased()
    }

    /// Where `needle` first starts in `haystack`, as an index of `haystack`.
    private static func firstIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (haystack.startIndex...(haystack.endIndex - needle.count)).first { start in
            haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }

    /// `declaredEncoding` by way of a Latin-1 `String`, for a name with non-ASCII bytes.
    static func declaredEncodingOfText(_ data: Data) -> String? {
        let head = data.prefix(256)
        guard let text = String(bytes: head, encoding: .isoLatin1), text.hasPrefix("<?xml"),
            let end = text.range(of: "?>")
        else { return nil }
        let declaration = text[..<end.lowerBound]
        guard let key = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[key.upperBound...].drop { $0 == " " || $0 == "=" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix { $0 != quote }).lowercased()
    }

    static func hasByteOrderMark(_ data: Data) -> Bool {
        let bytes = Array(data.prefix(3))
        return bytes.starts(with: [0xEF, 0xBB, 0xBF]) || bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE])
    }

    /// True when '&', ';' and ASCII letters are single bytes meaning themselves, as byte-level
    /// repairs (`HTMLEntityRepair`) need: not UTF-16 or UTF-32 (a byte-order mark, a NUL in
    /// the first bytes, or such a name), EBCDIC or ISO-2022, whose multi-byte characters may
    /// hold those bytes.
    static func isASCIICompatible(_ data: Data, encoding: String?) -> Bool {
        let head = Array(data.prefix(4))
        if head.starts(with: [0xFE, 0xFF]) || head.starts(with: [0xFF, 0xFE]) || head.contains(0) { return false }
        let name = (encoding ?? declaredEncoding(data) ?? "utf-8").lowercased()
        return
            !(name.contains("16") || name.contains("32") || name.contains("ucs") || name.contains("ebcdic")
            || name.hasPrefix("ibm") || name.hasPrefix("cp0") || name.contains("2022"))
    }

    /// Whether `data` is well-formed UTF-8 (Unicode's table 3-7: no overlong forms, no
    /// surrogates, nothing past U+10FFFF), as `String(validating:)` judges it without making
    /// a copy of the whole feed: runs of ASCII are skipped eight bytes at a time.
    static func isValidUTF8(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var index = 0
            while index < bytes.count {
                // ASCII and two-byte characters (Hebrew text), sixteen bytes at a time (SSE2).
                if index + 16 <= bytes.count {
                    index += gz_utf8_two_byte_prefix(bytes.baseAddress! + index, bytes.count - index)
                    guard index < bytes.count else { break }
                }
                let lead = bytes[index]
                if lead < 0x80 {
                    // A run of ASCII eight bytes at a time, where SSE2 did not read it.
                    index += 1
                    while index + 8 <= bytes.count,
                        raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
                    {
                        index += 8
                    }
                    continue
                }
                // Two-byte sequences (Hebrew, accented Latin) without the general path's ranges.
                if lead >= 0xC2, lead <= 0xDF {
                    guard index + 1 < bytes.count, bytes[index + 1] & 0xC0 == 0x80 else { return false }
                    index += 2
                    continue
                }
                // The lead byte decides the length and the range of the second byte.
                let length: Int
                var second: ClosedRange<UInt8> = 0x80...0xBF
                switch lead {
                case 0xC2...0xDF: length = 2
                case 0xE0: (length, second) = (3, 0xA0...0xBF)
                case 0xE1...0xEC, 0xEE...0xEF: length = 3
                case 0xED: (length, second) = (3, 0x80...0x9F)
                case 0xF0: (length, second) = (4, 0x90...0xBF)
                case 0xF1...0xF3: length = 4
                case 0xF4: (length, second) = (4, 0x80...0x8F)
                default: return false
                }
                guard index + length <= bytes.count, second.contains(bytes[index + 1]) else { return false }
                for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) { return false }
                index += length
            }
            return true
        }
    }

    private static func isUTF8Name(_ name: String) -> Bool { name == "utf-8" || name == "utf8" }

    /// JSON Feed: said by the Content-Type, or the first non-space character is `{`.
    static func looksLikeJSON(_ data: Data, contentType: String?) -> Bool {
        if let contentType = contentType?.lowercased(), contentType.contains("json") { return true }
        let bytes = data.prefix(64).drop { isWhitespace($0) || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }
        return bytes.first == UInt8(ascii: "{")
    }
}
