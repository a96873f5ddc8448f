import Foundation

/// Reads a returned message's bytes and says what it is: a delivery status notification
/// (RFC 3464), a complaint (RFC 5965), a bounce notice in one of the common text forms, an
/// answer to the unsubscribe header, an auto-reply, or something else.
///
/// Pure: no I/O, no clock. Whatever the input, it returns a report or throws
/// `ReturnedMailError`; it never traps.
public struct ReturnedMailReader: Sendable {
    /// Messages larger than this are not returned mail worth reading (a bounce quoting a
    /// huge original is cut by every MTA long before this).
    public var maxBytes: Int

    public init(maxBytes: Int = 10 * 1024 * 1024) {
        self.maxBytes = maxBytes
    }

    public func read(_ bytes: Data) throws(ReturnedMailError) -> ReturnedMailReport {
        guard bytes.count <= maxBytes else { throw .tooLarge(bytes: bytes.count, limit: maxBytes) }
        guard !bytes.isEmpty else { throw .malformed("it is empty") }
        let headerEnd = bytes.range(of: Data("\n\n".utf8)) ?? bytes.range(of: Data("\r\n\r\n".utf8))
        if bytes[..<(headerEnd?.lowerBound ?? bytes.endIndex)].contains(0) { throw .malformed("its header has NUL bytes") }
        let text = String(data: bytes, encoding: .utf8) ?? String(data: bytes, encoding: .isoLatin1) ?? ""
        let message = MIMEEntity(text: Substring(text))
        guard !message.headers.isEmpty else { throw .malformed("it has no header lines") }
        let known = ["From", "To", "Subject", "Date", "Message-ID", "Content-Type", "Received", "Return-Path"]
        guard known.contains(where: { message.headers[$0] != nil }) else {
            throw .malformed("none of From, To, Subject, Date or Message-ID")
        }
        var report = classify(message)
        report.messageID = TextScanning.messageID(message.headers["Message-ID"])
        report.date = TextScanning.date(message.headers["Date"])
        report.from = TextScanning.address(inHeader: message.headers["From"])
        report.deliveredTo = Self.deliveredTo(message.headers)
        return report
    }

    private func classify(_ message: MIMEEntity) -> ReturnedMailReport {
        if let report = DeliveryStatusReport.read(message) ?? FeedbackReport.read(message) { return report }
        if let report = BounceNotice.read(message) { return report }
        if let report = ReaderReply.autoReply(message) { return report }
        if let report = ReaderReply.unsubscribe(message) { return report }
        return ReturnedMailReport(kind: .unknown, format: "unknown", originalMessageID: ReaderReply.inReplyTo(message))
    }

    /// Where the message was delivered: the headers a VERP address shows up in, most telling first.
    static func deliveredTo(_ headers: MailHeaders) -> [String] {
        var seen = Set<String>()
        return ["Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To", "Cc"]
            .flatMap { headers.all($0) }
            .flatMap { TextScanning.addresses(in: $0) }
            .filter { seen.insert($0.lowercased()).inserted }
    }

    /// The Message-ID of the original message a report or notice carries: from an attached
    /// `message/rfc822` or `text/rfc822-headers` part, else a `Message-ID:` line in a quoted copy.
    static func originalMessageID(_ message: MIMEEntity, quotedText: String? = nil) -> String? {
        for entity in message.allEntities.dropFirst() {
            if entity.contentType == "message/rfc822" || entity.contentType == "message/global", let inner = entity.parts.first,
                let id = TextScanning.messageID(inner.headers["Message-ID"])
            {
                return id
            }
            if entity.contentType == "text/rfc822-headers" || entity.contentType == "message/rfc822-headers" {
                let (headers, _) = MailHeaders.parse(MIMEEntity.lines(Substring(entity.bodyText)))
                if let id = TextScanning.messageID(headers["Message-ID"]) { return id }
            }
        }
        return quotedText.flatMap(TextScanning.messageIDLine)
    }
}
