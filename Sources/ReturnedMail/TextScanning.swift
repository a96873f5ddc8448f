import Foundation

/// The small things every classifier looks for in free text: addresses, status codes,
/// Message-IDs, dates.
enum TextScanning {
    private static let addressPattern = compiled(
        #"[A-Za-z0-9._%+=/!#$&'*?^`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"#)
    private static let enhancedStatusPattern = compiled(
        #"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])"#)
    private static let replyCodePattern = compiled(
        #"(?:^|[\s:#(\[])([45][0-9][0-9])(?:[\s-]|$)"#, options: [.anchorsMatchLines])
    private static let messageIDLinePattern = compiled(
        #"^message-id:[ \t]*<?([^>\s]+@[^>\s]+)>?"#, options: [.anchorsMatchLines, .caseInsensitive])

    /// Every address in `text`, in order, each once (compared without case).
    static func addresses(in text: String) -> [String] {
        var seen = Set<String>()
        return matches(addressPattern, in: text, group: 0).compactMap { found in
            let address = found.trimmingCharacters(in: CharacterSet(charactersIn: ".'`"))
            return seen.insert(address.lowercased()).inserted ? address : nil
        }
    }

    /// The first address in a header value (`"Name" <a@b>`, `a@b`, `rfc822; a@b`).
    static func address(inHeader value: String?) -> String? {
        value.flatMap { addresses(in: $0).first }
    }

    /// The first enhanced status code (RFC 3463, `5.1.1`) in `text`.
    static func enhancedStatus(in text: String) -> String? {
        matches(enhancedStatusPattern, in: text, group: 0).first
    }

    /// The first SMTP reply code (`550`) standing as a reply would: at a line's start or after ':' or '#'.
    static func replyCode(in text: String) -> String? {
        matches(replyCodePattern, in: text, group: 1).first
    }

    /// A Message-ID header value without its angle brackets.
    static func messageID(_ value: String?) -> String? {
        guard var value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let open = value.firstIndex(of: "<"), let close = value[open...].firstIndex(of: ">") {
            value = String(value[value.index(after: open)..<close])
        }
        value = value.trimmingCharacters(in: .whitespaces)
        return value.isEmpty || value.contains(" ") ? nil : value
    }

    /// The first `Message-ID:` line in a quoted copy of a message.
    static func messageIDLine(in text: String) -> String? {
        matches(messageIDLinePattern, in: text, group: 1).first
    }

    /// Runs of whitespace (line breaks too) made single spaces, lower-cased: phrases wrapped
    /// at any column still match.
    static func normalized(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// An RFC 5322 date (`Tue, 1 Dec 2026 09:12:03 +0000 (UTC)`), day name and comment optional.
    static func date(_ value: String?) -> Date? {
        guard var text = value?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let comment = text.firstIndex(of: "(") { text = text[..<comment].trimmingCharacters(in: .whitespaces) }
        if let comma = text.firstIndex(of: ","), text.distance(from: text.startIndex, to: comma) <= 4 {
            text = text[text.index(after: comma)...].trimmingCharacters(in: .whitespaces)
        }
        text = text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        for format in ["d MMM yyyy HH:mm:ss Z", "d MMM yyyy HH:mm Z", "d MMM yy HH:mm:ss Z", "d MMM yyyy HH:mm:ss zzz"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// A pattern written in this file: one that does not compile is a programming error.
    static func compiled(_ pattern: String, options: NSRegularExpression.Options = []) -> NSRegularExpression {
        do {
            return try NSRegularExpression(pattern: pattern, options: options)
        } catch {
            preconditionFailure("bad pattern \(pattern): \(error)")
        }
    }

    private static func matches(_ pattern: NSRegularExpression, in text: String, group: Int) -> [String] {
        let range = NSRange(text.startIndex..., in: text)
        return pattern.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: group), in: text).map { String(text[$0]) }
        }
    }
}
