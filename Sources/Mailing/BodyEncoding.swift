import Foundation

/// Content-Transfer-Encoding for a UTF-8 body: quoted-printable for mostly-ASCII text
/// (readable, small), base64 for mostly non-ASCII text such as Hebrew, where QP would
/// triple the size.
enum BodyEncoding {
    static func encode(_ text: String) -> (name: String, body: String) {
        let normalized = normalizedLineEndings(text.precomposedStringWithCanonicalMapping)
        let bytes = Array(normalized.utf8)
        let high = bytes.lazy.filter { $0 >= 0x80 }.count
        if high * 5 > bytes.count {  // more than 20% non-ASCII
            return ("base64", base64(bytes))
        }
        return ("quoted-printable", quotedPrintable(bytes))
    }

    /// Every line break as CRLF: SMTP servers now refuse bare LF.
    static func normalizedLineEndings(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n")
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let encoded = Data(bytes).base64EncodedString()
        var lines: [Substring] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(encoded[index..<end])
            index = end
        }
        return lines.joined(separator: "\r\n")
    }

    /// RFC 2045 §6.7 quoted-printable over CRLF-separated UTF-8, lines at most 76 characters.
    /// A leading "." and "From " are encoded too, so no relay or mbox tool alters the body.
    static func quotedPrintable(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        var lineLength = 0
        var index = 0
        func emit(_ token: [UInt8]) {
            if lineLength + token.count > 75 {  // room for the soft break's "="
                out += Array("=\r\n".utf8)
                lineLength = 0
            }
            out += token
            lineLength += token.count
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                out += [0x0D, 0x0A]
                lineLength = 0
                index += 2
                continue
            }
            let atLineEnd = index + 1 == bytes.count || bytes[index + 1] == 0x0D
            let atLineStart = lineLength == 0
            let needsEncoding =
                byte == UInt8(ascii: "=") || byte >= 0x7F || (byte < 0x20 && byte != 0x09)
                || ((byte == 0x20 || byte == 0x09) && atLineEnd)
                || (atLineStart && byte == UInt8(ascii: "."))
                || (atLineStart && byte == UInt8(ascii: "F") && bytes[index...].starts(with: Array("From ".utf8)))
            if needsEncoding {
                emit([UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            } else {
                emit([byte])
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
