import Foundation

/// Bounce notices that are not RFC 3464 reports: the plain-text forms of Exim, qmail,
/// Exchange, Gmail and Postfix (and others like them), recognised by their sender, subject
/// and stock phrases. The status comes from the quoted server reply when there is one.
enum BounceNotice {
    /// A shape: the phrases that identify it, in lower case with whitespace collapsed.
    struct Shape {
        var format: String
        var phrases: [String]
    }

    static let shapes = [
        Shape(format: "qmail", phrases: ["this is the qmail-send program", "i'm afraid i wasn't able to deliver your message"]),
        Shape(
            format: "exim",
            phrases: [
                "this message was created automatically by mail delivery software",
                "a message that you sent could not be delivered", "the following address(es) failed",
                "a message that you sent has not yet been delivered",
            ]),
        Shape(
            format: "exchange",
            phrases: [
                "delivery has failed to these recipients or groups", "diagnostic information for administrators",
                "your message couldn't be delivered", "your message to", "the following recipient(s) cannot be reached",
            ]),
        Shape(
            format: "gmail",
            phrases: [
                "delivery to the following recipient failed permanently", "delivery to the following recipient has been delayed",
                "your message wasn't delivered to", "technical details of permanent failure",
                "technical details of temporary failure", "address not found", "message not delivered",
            ]),
        Shape(
            format: "postfix",
            phrases: [
                "this is the mail system at host", "i'm sorry to have to inform you that your message could not",
                "this is a warning only. you do not need to resend your message",
            ]),
    ]

    /// Subjects bounce notices use; enough on their own when the sender is a mailer daemon.
    static let subjects = [
        "undelivered mail returned to sender", "mail delivery failed", "failure notice", "undeliverable",
        "delivery status notification", "returned mail", "delivery failure", "mail delivery system",
        "delayed mail", "warning: message", "undeliverable mail", "non remis", "unzustellbar", "nicht zustellbar",
    ]

    /// Where the copy of the original starts in the common forms: the text above it explains.
    static let originalMarkers = [
        "--- below this line is a copy of the message", "------ this is a copy of the message",
        "----- original message -----", "original message headers:", "----- original message follows -----",
        "------ this is a copy of your message", "--- the header of the original message is following",
    ]

    static let softPhrases = [
        "has been delayed", "has not yet been delivered", "still being retried", "this is a warning only",
        "temporary failure", "will continue trying", "will retry", "mailbox is full", "mailbox full", "over quota",
        "quota exceeded", "insufficient storage", "try again later",
    ]

    static let hardPhrases = [
        "failed permanently", "permanent error", "permanent failure", "user unknown", "does not exist", "no such user",
        "address not found", "recipient not found", "couldn't be found", "unknown user", "could not be delivered",
        "undeliverable", "mailbox unavailable", "address rejected",
    ]

    static func read(_ message: MIMEEntity) -> ReturnedMailReport? {
        let full = message.readableText
        let explanation = Self.explanation(full)
        let phrases = TextScanning.normalized(explanation)
        let shape = shapes.first { shape in shape.phrases.contains { phrases.contains($0) } }
        guard shape != nil || isFromMailSystem(message.headers) else { return nil }
        let status = TextScanning.enhancedStatus(in: explanation) ?? TextScanning.replyCode(in: explanation)
        let kind = verdict(status: status, phrases: phrases)
        let own = Set(
            (ReturnedMailReader.deliveredTo(message.headers)
                + [TextScanning.address(inHeader: message.headers["From"])].compactMap { $0 })
                .map { $0.lowercased() })
        let recipients = TextScanning.addresses(in: explanation).filter { address in
            let lower = address.lowercased()
            return !own.contains(lower) && !lower.hasPrefix("mailer-daemon@") && !lower.hasPrefix("postmaster@")
        }
        return ReturnedMailReport(
            kind: kind, format: shape?.format ?? "text", recipients: recipients, status: status,
            diagnostic: diagnosticLine(explanation, status: status),
            originalMessageID: ReturnedMailReader.originalMessageID(
                message, quotedText: String(full.dropFirst(explanation.count))))
    }

    /// The status code decides when there is one: 5xx hard (a full mailbox, x.2.2 or 552, soft),
    /// 4xx soft. Without one, the stock phrases; when they are silent, soft: nobody is dropped
    /// on a guess.
    static func verdict(status: String?, phrases: String) -> ReturnedMailKind {
        if let status, let first = status.first {
            if first == "4" || status.hasSuffix(".2.2") || status == "552" { return .soft }
            if first == "5" { return .hard }
        }
        if softPhrases.contains(where: { phrases.contains($0) }) { return .soft }
        if hardPhrases.contains(where: { phrases.contains($0) }) { return .hard }
        return .soft
    }

    /// A notice from a mailer daemon or postmaster, or sent with the null return path, whose
    /// subject says it is a bounce.
    static func isFromMailSystem(_ headers: MailHeaders) -> Bool {
        let from = TextScanning.normalized(headers["From"] ?? "")
        let returnPath = headers["Return-Path"]?.replacingOccurrences(of: " ", with: "")
        let daemon =
            from.contains("mailer-daemon") || from.contains("postmaster") || from.contains("mail delivery")
            || returnPath == "<>"
        let subject = TextScanning.normalized(TransferDecoding.decodeWords(headers["Subject"] ?? ""))
        return daemon && subjects.contains(where: { subject.contains($0) })
    }

    /// The text before the copy of the original message.
    static func explanation(_ text: String) -> String {
        let cut = originalMarkers.compactMap { text.range(of: $0, options: .caseInsensitive)?.lowerBound }.min()
        guard let cut else { return text }
        return String(text[..<cut])
    }

    /// The line the status code stands on, whitespace collapsed, cut to 200 characters.
    static func diagnosticLine(_ text: String, status: String?) -> String? {
        guard let status else { return nil }
        let line = MIMEEntity.lines(Substring(text)).first { $0.contains(status) }
        return line.map { String($0.split(whereSeparator: \.isWhitespace).joined(separator: " ").prefix(200)) }
    }
}
