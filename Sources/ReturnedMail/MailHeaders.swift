import Foundation

/// A message's header section, unfolded, in order. Names compare without regard to case.
///
/// Returned mail is written by every kind of mail software, so reading is lenient: a line
/// that is neither a header nor a continuation ends the section (the rest is body), and
/// values are kept as they came apart from unfolding.
public struct MailHeaders: Sendable, Hashable {
    public private(set) var fields: [(name: String, value: String)]

    public init(_ fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    public subscript(_ name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public func all(_ name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    public var isEmpty: Bool { fields.isEmpty }

    public static func == (lhs: MailHeaders, rhs: MailHeaders) -> Bool {
        lhs.fields.map(\.name) == rhs.fields.map(\.name) && lhs.fields.map(\.value) == rhs.fields.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        for field in fields {
            hasher.combine(field.name)
            hasher.combine(field.value)
        }
    }

    /// Splits `lines` into the header section and the index of the first body line.
    /// An mbox `From ` line before the headers is skipped.
    static func parse(_ lines: [Substring]) -> (MailHeaders, bodyStart: Int) {
        var fields: [(name: String, value: String)] = []
        var index = 0
        if let first = lines.first, first.hasPrefix("From ") { index = 1 }
        while index < lines.count {
            let line = lines[index]
            if line.isEmpty { return (MailHeaders(fields), index + 1) }
            if let first = line.first, first == " " || first == "\t" {
                // A folded continuation; a stray one before any header is dropped.
                if !fields.isEmpty { fields[fields.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces) }
            } else if let colon = line.firstIndex(of: ":"), isFieldName(line[..<colon]) {
                fields.append(
                    (
                        String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                        line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    ))
            } else {
                // Not a header: the body starts here (some software omits the blank line).
                return (MailHeaders(fields), index)
            }
            index += 1
        }
        return (MailHeaders(fields), lines.count)
    }

    /// RFC 5322 field names: printable ASCII except the colon; some mailers put a space before it.
    private static func isFieldName(_ text: Substring) -> Bool {
        let trimmed = text.hasSuffix(" ") ? text.dropLast() : text
        return !trimmed.isEmpty && trimmed.utf8.allSatisfy { $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ":") }
    }
}

/// A structured header value such as `multipart/report; report-type=delivery-status; boundary="x"`:
/// the value before the first `;` lower-cased, and its parameters (names lower-cased, quotes removed).
struct HeaderValue: Sendable, Hashable {
    var value: String
    var parameters: [String: String]

    init(_ text: String) {
        var parts: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if character == ";" && !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        value = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
        var parameters: [String: String] = [:]
        for part in parts.dropFirst() {
            guard let equals = part.firstIndex(of: "=") else { continue }
            let name = part[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var parameter = part[part.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if parameter.hasPrefix("\""), parameter.hasSuffix("\""), parameter.count >= 2 {
                parameter = String(parameter.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
            }
            // RFC 2231 continuations (`name*0=`, `name*=`) are folded into the plain name.
            let plain = name.split(separator: "*").first.map(String.init) ?? name
            parameters[plain, default: ""] += parameter
        }
        self.parameters = parameters
    }
}
