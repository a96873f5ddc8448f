import Foundation
import GazetteModel
import Mailing

/// `MIMEWriter.render` with any display names, subject, List-Id phrase and bodies: 7-bit
/// bytes, CRLF only (no bare LF or CR), no line over 998 characters, a header block whose
/// every line is one of the headers written or a folded continuation (so no value can start
/// a header of its own), the boundary only where the writer put it, and the subject and
/// both bodies decoding back to what went in (after the cleaning and line-end and NFC
/// normalization the writer promises).
///
/// Input layout, fields separated by 0xFF: sender name, recipient name, subject, plain
/// text, HTML, List-Id phrase, recipient address (used when `EmailAddress.validate` takes
/// it, as every stored address was).
public enum MIMEWriterCheck: FuzzCheck {
    public static let name = "MIMEWriter"
    static let boundary = "=_gazette_0123456789abcdef01234567"
    static let headerNames = ["Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "List-Id", "Content-Type"]

    public static func violations(_ data: Data) -> [String] {
        let field = FuzzInput.fields(data, count: 7)
        let address = (try? EmailAddress.validate(field[6]).get()) ?? "reader@example.org"
        let message = MailMessage(
            from: MailAddress(name: field[0], address: "digest@example.org"), to: MailAddress(name: field[1], address: address),
            subject: field[2], date: Date(timeIntervalSince1970: 1_764_000_000),
            messageID: "gazette.daily.2026-11-26.fuzz@example.org",
            extraHeaders: [("List-Id", field[5] + " <daily.example.org>")], text: field[3], html: field[4])
        let bytes = [UInt8](MIMEWriter.render(message, boundary: boundary))

        var problems: [String] = []
        if let high = bytes.firstIndex(where: { $0 >= 0x80 }) { problems.append("a non-ASCII byte at \(high)") }
        for index in bytes.indices {
            if bytes[index] == 0x0A, index == 0 || bytes[index - 1] != 0x0D { problems.append("a bare LF at byte \(index)") }
            if bytes[index] == 0x0D, index + 1 == bytes.count || bytes[index + 1] != 0x0A {
                problems.append("a bare CR at byte \(index)")
            }
            if problems.count > 5 { return problems }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        for (number, line) in lines.enumerated() where line.utf8.count > 998 {
            problems.append("line \(number + 1) is \(line.utf8.count) characters long")
        }
        guard let blank = lines.firstIndex(of: "") else { return problems + ["no blank line after the headers"] }

        // Headers: each line a known field or a continuation; each field once.
        var fields: [(name: String, value: String)] = []
        for line in lines[..<blank] {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), !fields.isEmpty {
                fields[fields.count - 1].value += line
            } else if let colon = line.firstIndex(of: ":"), headerNames.contains(String(line[..<colon])) {
                fields.append((String(line[..<colon]), String(line[line.index(after: colon)...].dropFirst())))
            } else {
                problems.append("header line is neither a field written nor a continuation: \(TextChecks.excerpt(line))")
            }
        }
        let names = fields.map(\.name)
        if names != headerNames { problems.append("header fields \(names), expected \(headerNames)") }
        if let subject = fields.first(where: { $0.name == "Subject" })?.value {
            let decoded = EncodedWords.decode(subject)
            if decoded != UntrustedText.clean(field[2]) {
                problems.append(
                    "Subject decodes to \(TextChecks.excerpt(decoded ?? "(undecodable)")), not \(TextChecks.excerpt(UntrustedText.clean(field[2])))"
                )
            }
        }

        // Body: the boundary only on its three lines; each part decodes to its text.
        let body = lines[(blank + 1)...]
        let delimiters = body.enumerated().filter { $0.element.hasPrefix("--" + boundary) }
        if delimiters.map(\.element) != ["--" + boundary, "--" + boundary, "--" + boundary + "--"] {
            return problems + ["boundary lines \(delimiters.map(\.element.debugDescription)), expected two and the closing one"]
        }
        let offsets = delimiters.map { body.startIndex + $0.offset }
        for (part, original) in [
            (lines[(offsets[0] + 1)..<offsets[1]], field[3]), (lines[(offsets[1] + 1)..<offsets[2]], field[4]),
        ] {
            problems += PartCheck.violations(Array(part), original: original)
        }
        return problems
    }
}

/// Reads one part of the multipart body back.
enum PartCheck {
    static func violations(_ lines: [String], original: String) -> [String] {
        guard let blank = lines.firstIndex(of: ""), blank >= 2 else { return ["a part without its two headers"] }
        let encoding = lines[..<blank].first { $0.hasPrefix("Content-Transfer-Encoding: ") }?.dropFirst(27)
        // The part's text runs to the CRLF before the next delimiter, which belongs to it.
        let encoded = lines[(blank + 1)...].joined(separator: "\r\n")
        let decoded: [UInt8]?
        switch encoding {
        case "base64": decoded = Data(base64Encoded: encoded.replacingOccurrences(of: "\r\n", with: "")).map { [UInt8]($0) }
        case "quoted-printable": decoded = QuotedPrintable.decode(encoded)
        default: return ["a part encoded as \(encoding.map(String.init) ?? "nothing")"]
        }
        guard let decoded, let text = String(validating: decoded, as: UTF8.self) else {
            return ["a \(encoding ?? "") part that does not decode to UTF-8"]
        }
        let expected = lineFeeds(original.precomposedStringWithCanonicalMapping)
        let got = lineFeeds(text)
        guard got.unicodeScalars.elementsEqual(expected.unicodeScalars) else {
            return ["a \(encoding ?? "") part decodes to \(TextChecks.excerpt(got)), not \(TextChecks.excerpt(expected))"]
        }
        return []
    }

    /// CRLF and lone CR as LF, scalar by scalar. Not `replacingOccurrences`: Foundation
    /// matches by composed sequence, so "\r\n" followed by a combining mark did not match
    /// (the first report from this check was that false alarm).
    static func lineFeeds(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            if scalar == "\n", previous == "\r" {
            } else {
                scalars.append(scalar == "\r" ? "\n" : scalar)
            }
            previous = scalar
        }
        return String(scalars)
    }
}

/// Decoders for what the writer encodes, kept minimal: only the forms it emits.
enum QuotedPrintable {
    static func decode(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "=") {
                if index + 2 < bytes.count, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A {
                    index += 3  // soft line break
                    continue
                }
                guard index + 2 < bytes.count,
                    let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
                else { return nil }
                out.append(value)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }
}

enum EncodedWords {
    /// An unfolded header value with `=?utf-8?b?…?=` words decoded (whitespace between two
    /// encoded words dropped, RFC 2047 §6.2); nil when a word does not decode.
    static func decode(_ value: String) -> String? {
        let unfolded = value.replacingOccurrences(of: "\r\n", with: "")
        guard unfolded.hasPrefix("=?utf-8?b?") else { return unfolded }
        var bytes: [UInt8] = []
        for word in unfolded.split(separator: " ") {
            guard word.hasPrefix("=?utf-8?b?"), word.hasSuffix("?="),
                let data = Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))
            else { return nil }
            bytes += data
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
