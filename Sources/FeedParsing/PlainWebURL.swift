/// Recognises a link that is already an absolute `http(s)` URL in the form Foundation's
/// `URL` would give back unchanged, so `resolve` can return it without building two `URL`s.
///
/// Why: every item has a link, a guid-permalink or an image, nearly all written in full
/// ("https://site.example/2026/11/26/story/"), and `URL(string:relativeTo:)` plus
/// `absoluteString` cost more than the rest of reading the item's fields. The check is on
/// bytes and deliberately narrow: a lowercase `http` or `https` scheme, a host of ASCII
/// letters, digits, dots and hyphens with an optional numeric port, then only characters
/// RFC 3986 allows unescaped (percent signs followed by two hex digits), at most one `#`, and
/// no `.` or `..` path segment (resolution would remove those). Anything else takes the
/// `URL` path. `ParsingShortcutsTests` checks it against that path over many links.
enum PlainWebURL {
    static func isPlain(_ link: String) -> Bool {
        var link = link
        return link.withUTF8(isPlain)
    }

    static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        var index: Int
        if count > 8, bytes[0] == UInt8(ascii: "h"), bytes[1] == UInt8(ascii: "t"), bytes[2] == UInt8(ascii: "t"),
            bytes[3] == UInt8(ascii: "p")
        {
            index = bytes[4] == UInt8(ascii: "s") ? 5 : 4
        } else {
            return false
        }
        guard index + 3 <= count, bytes[index] == UInt8(ascii: ":"), bytes[index + 1] == UInt8(ascii: "/"),
            bytes[index + 2] == UInt8(ascii: "/")
        else { return false }
        index += 3
        // The host: at least one letter, digit, dot or hyphen; then an optional port.
        let hostStart = index
        while index < count, isHostByte(bytes[index]) { index += 1 }
        guard index > hostStart else { return false }
        if index < count, bytes[index] == UInt8(ascii: ":") {
            index += 1
            let portStart = index
            while index < count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            guard index > portStart, index - portStart <= 5 else { return false }
        }
        guard
            index == count || bytes[index] == UInt8(ascii: "/") || bytes[index] == UInt8(ascii: "?")
                || bytes[index] == UInt8(ascii: "#")
        else { return false }
        // The path, segment by segment until `?` or `#`, then the query and fragment.
        var inPath = true
        var segmentStart = index
        var sawFragment = false
        while index < count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"):
                if inPath, isDotSegment(bytes, from: segmentStart, to: index) { return false }
                if byte == UInt8(ascii: "#") {
                    if sawFragment { return false }
                    sawFragment = true
                }
                if byte != UInt8(ascii: "/") { inPath = false }
                segmentStart = index + 1
            case UInt8(ascii: "%"):
                guard index + 2 < count, isHexDigit(bytes[index + 1]), isHexDigit(bytes[index + 2]) else { return false }
                index += 2
            default:
                guard isPlainByte(byte) else { return false }
            }
            index += 1
        }
        if inPath, isDotSegment(bytes, from: segmentStart, to: count) { return false }
        return true
    }

    /// An absolute-path link ("/tag/health/") joined to the origin of a plain base, when the
    /// result is plain: what `URL(string:relativeTo:)` makes of it, as RFC 3986 (5.2.2) keeps
    /// the base's scheme and authority and takes the link's path, query and fragment. WordPress
    /// writes its tag links this way, and sanitizing content resolved each through `URL`.
    static func joiningAbsolutePath(_ link: String, to base: String?) -> String? {
        guard var base, link.utf8.first == UInt8(ascii: "/"), link.utf8.dropFirst().first != UInt8(ascii: "/"),
            isPlain(base)
        else { return nil }
        let originEnd = base.withUTF8 { bytes -> Int in
            var index = (bytes[4] == UInt8(ascii: "s") ? 5 : 4) + 3  // past "https://" or "http://"
            while index < bytes.count, bytes[index] != UInt8(ascii: "/"), bytes[index] != UInt8(ascii: "?"),
                bytes[index] != UInt8(ascii: "#")
            {
                index += 1
            }
            return index
        }
        let joined = String(decoding: base.utf8.prefix(originEnd), as: UTF8.self) + link
        return isPlain(joined) ? joined : nil
    }

    /// A path segment of `.` or `..`, which resolution removes.
    private static func isDotSegment(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        guard start < end, end - start <= 2 else { return false }
        for index in start..<end where bytes[index] != UInt8(ascii: ".") { return false }
        return true
    }

    private static func isHostByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }

    /// RFC 3986's unreserved characters, sub-delimiters, `:` and `@` (a path's `pchar`s).
    private static func isPlainByte(_ byte: UInt8) -> Bool {
        if isHostByte(byte) { return true }
        switch byte {
        case UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"),
            UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
            UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "@"):
            return true
        default:
            return false
        }
    }
}
