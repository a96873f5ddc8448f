import Foundation

/// One MIME entity: a whole message, or one part of a multipart body, or the message inside
/// a `message/rfc822` part. Nested parts are parsed up to `MIMEEntity.maxDepth` levels.
public struct MIMEEntity: Sendable, Hashable {
    public var headers: MailHeaders
    /// `text/plain`, `multipart/report`… lower-cased; `text/plain` when absent (RFC 2045).
    public var contentType: String
    var parameters: [String: String]
    /// The body as it stands in the message, before transfer decoding.
    var rawBody: String
    /// Multipart children, or the one message of a `message/rfc822` part.
    public var parts: [MIMEEntity]

    /// Beyond this nesting, parts are kept as text and not looked into: no message needs
    /// more, and a crafted one cannot make the reader recurse without end.
    static let maxDepth = 12

    /// Reads a message from its text (CRLF or LF line ends).
    init(text: Substring, depth: Int = 0) {
        let lines = Self.lines(text)
        let (headers, bodyStart) = MailHeaders.parse(lines)
        self.init(headers: headers, bodyLines: lines[min(bodyStart, lines.count)...], depth: depth)
    }

    init(headers: MailHeaders, bodyLines: ArraySlice<Substring>, depth: Int) {
        self.headers = headers
        let type = HeaderValue(headers["Content-Type"] ?? "text/plain")
        contentType = type.value.isEmpty ? "text/plain" : type.value
        parameters = type.parameters
        rawBody = bodyLines.joined(separator: "\n")
        parts = []
        guard depth < Self.maxDepth else { return }
        if contentType.hasPrefix("multipart/"), let boundary = parameters["boundary"], !boundary.isEmpty {
            parts = Self.split(bodyLines, boundary: boundary).map { MIMEEntity(lines: $0, depth: depth + 1) }
        } else if contentType == "message/rfc822" || contentType == "message/global" {
            let decoded = bodyText
            parts = [MIMEEntity(text: Substring(decoded), depth: depth + 1)]
        }
    }

    private init(lines: ArraySlice<Substring>, depth: Int) {
        let (headers, bodyStart) = MailHeaders.parse(Array(lines))
        let all = Array(lines)
        self.init(headers: headers, bodyLines: all[min(bodyStart, all.count)...], depth: depth)
    }

    /// The body with its transfer encoding undone, as text in its charset.
    public var bodyText: String {
        let encoding = headers["Content-Transfer-Encoding"]?.lowercased().trimmingCharacters(in: .whitespaces)
        guard encoding == "base64" || encoding == "quoted-printable" else { return rawBody }
        return TransferDecoding.text(
            TransferDecoding.decode(Array(rawBody.utf8), encoding: encoding), charset: parameters["charset"])
    }

    /// This entity and every entity inside it, depth first.
    public var allEntities: [MIMEEntity] {
        [self] + parts.flatMap(\.allEntities)
    }

    /// The readable text of the entity: its text parts (plain preferred over HTML in an
    /// alternative), not looking inside attached messages.
    public var readableText: String {
        if contentType == "multipart/alternative" {
            let plain = parts.first { $0.contentType == "text/plain" } ?? parts.first { $0.contentType.hasPrefix("text/") }
            return plain?.readableText ?? ""
        }
        if contentType.hasPrefix("multipart/") {
            return parts.filter { !$0.contentType.hasPrefix("message/") && $0.contentType != "text/rfc822-headers" }
                .map(\.readableText).filter { !$0.isEmpty }.joined(separator: "\n")
        }
        if contentType == "text/html" { return Self.strippingTags(bodyText) }
        if contentType.hasPrefix("text/") { return bodyText }
        return ""
    }

    /// Lines split on LF, a CR before it dropped. Split by byte: to `String`, CR LF is one
    /// character, which a split on "\n" would never find.
    static func lines(_ text: Substring) -> [Substring] {
        text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { bytes in
            let line = Substring(bytes)
            return line.utf8.last == UInt8(ascii: "\r") ? Substring(line.utf8.dropLast()) : line
        }
    }

    /// The parts between `--boundary` lines, up to `--boundary--` (or the end, when a
    /// truncated message lacks it). Preamble and epilogue are dropped.
    static func split(_ lines: ArraySlice<Substring>, boundary: String) -> [ArraySlice<Substring>] {
        let delimiter = "--" + boundary
        var parts: [ArraySlice<Substring>] = []
        var start: Int?
        for index in lines.indices {
            let line = lines[index]
            guard line.hasPrefix(delimiter) else { continue }
            let rest = line.dropFirst(delimiter.count)
            let closing = rest.hasPrefix("--")
            guard closing || rest.allSatisfy({ $0 == " " || $0 == "\t" }) else { continue }
            if let start { parts.append(lines[start..<index]) }
            if closing { return parts }
            start = index + 1
        }
        if let start, start < lines.endIndex { parts.append(lines[start...]) }
        return parts
    }

    /// HTML reduced to its text, enough to find words and addresses in an HTML-only notice.
    static func strippingTags(_ html: String) -> String {
        var out = ""
        var inTag = false
        for character in html {
            if character == "<" {
                inTag = true
            } else if character == ">" {
                inTag = false
                out.append(" ")
            } else if !inTag {
                out.append(character)
            }
        }
        return out.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&nbsp;", with: " ").replacingOccurrences(of: "&amp;", with: "&")
    }
}
