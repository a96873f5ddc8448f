import Foundation

/// RFC 3464 delivery status notifications: `multipart/report; report-type=delivery-status`,
/// whose `message/delivery-status` part holds one block of per-message fields and one block
/// per recipient (`Final-Recipient`, `Action`, `Status`, `Diagnostic-Code`).
enum DeliveryStatusReport {
    /// One recipient's block.
    struct Recipient {
        var address: String?
        var action: String
        var status: String?
        var diagnostic: String?
    }

    static func read(_ message: MIMEEntity) -> ReturnedMailReport? {
        // Also found outside a multipart/report: some relays wrap it in multipart/mixed.
        guard
            let part = message.allEntities.first(where: {
                $0.contentType == "message/delivery-status" || $0.contentType == "message/global-delivery-status"
            })
        else { return nil }
        let recipients = Self.recipients(part.bodyText)
        // A DSN that only says "delivered" or "relayed" is no bounce.
        let bouncing = recipients.filter { $0.action == "failed" || $0.action == "delayed" }
        guard !bouncing.isEmpty else {
            return ReturnedMailReport(
                kind: .unknown, format: "dsn", recipients: recipients.compactMap(\.address),
                originalMessageID: ReturnedMailReader.originalMessageID(message))
        }
        let failed = bouncing.first { $0.action == "failed" && verdict(action: $0.action, status: $0.status) == .hard }
        let chosen = failed ?? bouncing[0]
        return ReturnedMailReport(
            kind: failed == nil ? .soft : .hard, format: "dsn",
            recipients: ([chosen] + bouncing).compactMap(\.address).uniqued(),
            status: chosen.status, diagnostic: chosen.diagnostic,
            originalMessageID: ReturnedMailReader.originalMessageID(message, quotedText: message.readableText))
    }

    /// `failed` with a 5.x.x status (or none) is hard; `delayed`, a 4.x.x status and a full
    /// mailbox (x.2.2, which RFC 3463 calls persistent transient) are soft.
    static func verdict(action: String, status: String?) -> ReturnedMailKind {
        if action == "delayed" { return .soft }
        guard let status, let first = status.first else { return .hard }
        if first == "4" || status.hasSuffix(".2.2") { return .soft }
        return .hard
    }

    /// The per-recipient blocks of a `message/delivery-status` body.
    static func recipients(_ body: String) -> [Recipient] {
        var lines = MIMEEntity.lines(Substring(body))[...]
        var blocks: [MailHeaders] = []
        while !lines.isEmpty {
            while let first = lines.first, first.trimmingCharacters(in: .whitespaces).isEmpty { lines = lines.dropFirst() }
            guard !lines.isEmpty else { break }
            let (headers, bodyStart) = MailHeaders.parse(Array(lines))
            if headers.isEmpty { break }
            blocks.append(headers)
            lines = lines.dropFirst(max(bodyStart, 1))
        }
        return blocks.compactMap { block in
            guard let action = block["Action"] else { return nil }
            let address =
                TextScanning.address(inHeader: block["Final-Recipient"])
                ?? TextScanning.address(inHeader: block["Original-Recipient"])
            let original = TextScanning.address(inHeader: block["Original-Recipient"])
            var recipient = Recipient(
                address: address, action: action.lowercased().split(separator: " ").first.map(String.init) ?? "",
                status: block["Status"].flatMap { TextScanning.enhancedStatus(in: $0) },
                diagnostic: block["Diagnostic-Code"].map(stripType))
            if recipient.status == nil, let diagnostic = recipient.diagnostic {
                recipient.status = TextScanning.enhancedStatus(in: diagnostic) ?? TextScanning.replyCode(in: diagnostic)
            }
            // The original address first when it differs: it is what Gazette sent to.
            if let original, original.lowercased() != address?.lowercased() { recipient.address = original }
            return recipient
        }
    }

    /// `smtp; 550 5.1.1 …` without its type.
    static func stripType(_ value: String) -> String {
        guard let semicolon = value.firstIndex(of: ";") else { return value }
        return value[value.index(after: semicolon)...].trimmingCharacters(in: .whitespaces)
    }
}

/// RFC 5965 abuse reports (ARF): `multipart/report; report-type=feedback-report`, with a
/// `message/feedback-report` part and the original message or its headers.
enum FeedbackReport {
    static func read(_ message: MIMEEntity) -> ReturnedMailReport? {
        guard let part = message.allEntities.first(where: { $0.contentType == "message/feedback-report" }) else { return nil }
        let (fields, _) = MailHeaders.parse(MIMEEntity.lines(Substring(part.bodyText)))
        let type = fields["Feedback-Type"]?.lowercased() ?? "abuse"
        let original = message.allEntities.first { $0.contentType == "message/rfc822" }?.parts.first
        let originalHeaders =
            original?.headers
            ?? message.allEntities.first { $0.contentType == "text/rfc822-headers" }
            .map { MailHeaders.parse(MIMEEntity.lines(Substring($0.bodyText))).0 }
        let recipients = (fields.all("Original-Rcpt-To") + (originalHeaders?.all("To") ?? [])).flatMap(
            TextScanning.addresses(in:))
        return ReturnedMailReport(
            kind: type == "not-spam" ? .unknown : .complaint, format: "arf", recipients: recipients.uniqued(),
            status: nil, diagnostic: "feedback-type " + type,
            originalMessageID: ReturnedMailReader.originalMessageID(message))
    }
}

extension Array where Element == String {
    /// Each address once, compared without case, first occurrence kept.
    func uniqued() -> [String] {
        var seen = Set<String>()
        return filter { seen.insert($0.lowercased()).inserted }
    }
}
