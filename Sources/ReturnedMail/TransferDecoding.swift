import Foundation

/// Content-Transfer-Encoding and RFC 2047 encoded-word decoding, tolerant of the small
/// mistakes real mail software makes (missing padding, soft breaks at the very end).
enum TransferDecoding {
    /// The body bytes under `encoding` (`base64`, `quoted-printable`; anything else as is).
    static func decode(_ body: [UInt8], encoding: String?) -> [UInt8] {
        switch encoding?.trimmingCharacters(in: .whitespaces).lowercased() {
        case "base64": base64(body)
        case "quoted-printable": quotedPrintable(body, underscoreIsSpace: false)
        default: body
        }
    }

    static func base64(_ body: [UInt8]) -> [UInt8] {
        var clean = body.filter { byte in
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "/")
        }
        clean.removeLast(clean.count % 4 == 1 ? 1 : 0)
        clean += Array(repeating: UInt8(ascii: "="), count: (4 - clean.count % 4) % 4)
        return Data(base64Encoded: Data(clean)).map { [UInt8]($0) } ?? []
    }

    static func quotedPrintable(_ body: [UInt8], underscoreIsSpace: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var index = 0
        while index < body.count {
            let byte = body[index]
            if byte == UInt8(ascii: "=") {
                // A soft line break: "=" then optional spaces then CRLF or LF.
                var next = index + 1
                while next < body.count, body[next] == UInt8(ascii: " ") || body[next] == UInt8(ascii: "\t") { next += 1 }
                if next < body.count, body[next] == UInt8(ascii: "\r") { next += 1 }
                if next < body.count, body[next] == UInt8(ascii: "\n") {
                    index = next + 1
                    continue
                }
                if next >= body.count {
                    index = next
                    continue
                }
                if index + 2 < body.count, let high = hexValue(body[index + 1]), let low = hexValue(body[index + 2]) {
                    out.append(high << 4 | low)
                    index += 3
                    continue
                }
                out.append(byte)
            } else if underscoreIsSpace, byte == UInt8(ascii: "_") {
                out.append(UInt8(ascii: " "))
            } else {
                out.append(byte)
            }
            index += 1
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// Text in `charset`, UTF-8 when unknown; bytes that do not fit are replaced, never fatal.
    static func text(_ bytes: [UInt8], charset: String?) -> String {
        switch charset?.lowercased() {
        case "iso-8859-1", "latin1", "iso_8859-1", "us-ascii":
            String(bytes: bytes, encoding: .isoLatin1) ?? String(decoding: bytes, as: UTF8.self)
        case "windows-1252", "cp1252":
            String(bytes: bytes, encoding: .windowsCP1252) ?? String(decoding: bytes, as: UTF8.self)
        default:
            String(decoding: bytes, as: UTF8.self)
        }
    }

    /// A header value with its RFC 2047 encoded words (`=?utf-8?Q?…?=`, `=?utf-8?B?…?=`) decoded.
    static func decodeWords(_ value: String) -> String {
        guard value.contains("=?") else { return value }
        var out = ""
        var rest = Substring(value)
        var lastWasWord = false
        while let start = rest.range(of: "=?") {
            let before = rest[..<start.lowerBound]
            let afterStart = rest[start.upperBound...]
            let pieces = afterStart.split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
            guard pieces.count == 4, pieces[3].hasPrefix("="), pieces[1].count == 1 else {
                out += rest[..<start.upperBound]
                rest = afterStart
                lastWasWord = false
                continue
            }
            // Whitespace between two encoded words is not part of the text (RFC 2047 §6.2).
            if !(lastWasWord && before.allSatisfy(\.isWhitespace)) { out += before }
            let charset = pieces[0].split(separator: "*").first.map(String.init)
            let bytes = Array(pieces[2].utf8)
            let decoded = pieces[1].uppercased() == "B" ? base64(bytes) : quotedPrintable(bytes, underscoreIsSpace: true)
            out += text(decoded, charset: charset)
            rest = pieces[3].dropFirst()
            lastWasWord = true
        }
        return out + rest
    }
}
