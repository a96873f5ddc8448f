import Foundation

/// Turns a `MailMessage` into RFC 5322 bytes: `multipart/alternative` (text, then HTML),
/// UTF-8, 7-bit clean, CRLF line endings, every line within 78 characters.
///
/// The same bytes go to SMTP, the outbox and `preview --format eml`, so what is tested is
/// what is sent.
public enum MIMEWriter {
    /// - Parameters:
    ///   - boundary: the multipart boundary; inject a fixed one for reproducible output.
    ///   - timeZone: the zone the `Date` header is written in.
    public static func render(_ message: MailMessage, boundary: String, timeZone: TimeZone = .gmt) -> Data {
        let bodies = [message.text, message.html].map { body in
            let (encoding, encoded) = BodyEncoding.encode(body)
            return EncodedBody(encoding: encoding, pieces: [Array(encoded.utf8)])
        }
        return render(message, boundary: boundary, timeZone: timeZone, text: bodies[0], html: bodies[1])
    }

    /// A body already transfer-encoded, as pieces to write one after another.
    struct EncodedBody {
        var encoding: String
        var pieces: [[UInt8]]
    }

    /// The message with bodies encoded by the caller (`DigestMessageTemplate`); the same
    /// bytes as `render(_:boundary:timeZone:)` when they are what `BodyEncoding` gives.
    static func render(
        _ message: MailMessage, boundary: String, timeZone: TimeZone, text: EncodedBody, html: EncodedBody, memo: HeaderMemo? = nil
    ) -> Data {
        var head = headerBlock(
            message, contentType: "multipart/alternative; boundary=\"\(boundary)\"", timeZone: timeZone, memo: memo)
        head += "This is a multi-part message in MIME format.\r\n"
        let parts = [("text/plain; charset=utf-8; format=fixed", text), ("text/html; charset=utf-8", html)]
        var out = Data(capacity: head.utf8.count + 512 + parts.reduce(0) { $0 + $1.1.pieces.reduce(0) { $0 + $1.count } })
        out.append(contentsOf: head.utf8)
        for (type, body) in parts {
            out.append(contentsOf: "\r\n--\(boundary)\r\nContent-Type: \(type)\r\nContent-Transfer-Encoding: \(body.encoding)\r\n\r\n".utf8)
            for piece in body.pieces { out.append(contentsOf: piece) }
        }
        out.append(contentsOf: "\r\n--\(boundary)--\r\n".utf8)
        return out
    }

    /// A plain-text message, one `text/plain` part and no HTML (`message.html` is not used):
    /// for mails to people who read them in a terminal, such as the operator's report.
    public static func renderPlainText(_ message: MailMessage, timeZone: TimeZone = .gmt) -> Data {
        let (encoding, encoded) = BodyEncoding.encode(message.text)
        var out = headerBlock(
            message, contentType: "text/plain; charset=utf-8; format=fixed", transferEncoding: encoding, timeZone: timeZone)
        out += encoded
        if !out.hasSuffix("\r\n") { out += "\r\n" }
        return Data(out.utf8)
    }

    /// The header block, ending with its blank line.
    /// - Parameter memo: folded lines of the headers every message of a digest shares
    ///   (From, Subject, List-Id…), by their unencoded values.
    private static func headerBlock(
        _ message: MailMessage, contentType: String, transferEncoding: String? = nil, timeZone: TimeZone,
        memo: HeaderMemo? = nil
    ) -> String {
        var out = ""
        func add(_ name: String, shared key: String? = nil, _ value: () -> String) {
            if let memo, let key {
                out += memo.line(name + "\u{0}" + key) { HeaderEncoding.fold("\(name): \(value())") }
            } else {
                out += HeaderEncoding.fold("\(name): \(value())")
            }
            out += "\r\n"
        }
        add("Date") { RFC5322Date.format(message.date, timeZone: timeZone) }
        add("From", shared: (message.from.name ?? "") + "\u{0}" + message.from.address) { HeaderEncoding.mailbox(message.from) }
        add("To") { HeaderEncoding.mailbox(message.to) }
        add("Subject", shared: message.subject) { HeaderEncoding.unstructured(message.subject, fieldName: "Subject") }
        add("Message-ID") { "<\(message.messageID)>" }
        add("MIME-Version") { "1.0" }
        // Extra values come encoded where they need it (List-Id's phrase), so their "=?" is ours.
        // List-Unsubscribe carries the subscriber's token: never shared.
        for (name, value) in message.extraHeaders {
            add(name, shared: name == "List-Unsubscribe" ? nil : value) {
                HeaderEncoding.unstructured(value, fieldName: name, encodingLookalikes: false)
            }
        }
        add("Content-Type") { contentType }
        if let transferEncoding { add("Content-Transfer-Encoding") { transferEncoding } }
        return out + "\r\n"
    }

    /// Header lines shared by the messages of one digest, computed once (at most 32 kept).
    final class HeaderMemo: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String: String] = [:]

        func line(_ key: String, _ make: () -> String) -> String {
            lock.lock()
            defer { lock.unlock() }
            if let line = lines[key] { return line }
            let line = make()
            if lines.count < 32 { lines[key] = line }
            return line
        }
    }

    /// A random boundary; `=_` can never appear in quoted-printable or base64 text.
    public static func randomBoundary() -> String {
        "=_gazette_" + (0..<24).map { _ in String("0123456789abcdef".randomElement() ?? "0") }.joined()
    }
}
