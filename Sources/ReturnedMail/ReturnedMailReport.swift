import Foundation

/// What a returned message is, as far as Gazette cares.
public enum ReturnedMailKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The address will never take mail (`Action: failed` with a 5.x.x status, "user unknown").
    case hard
    /// Not now (a delay, a full mailbox, a 4.x.x status): counts only when it keeps happening.
    case soft
    /// The reader marked the mail as spam (an ARF feedback report).
    case complaint
    /// The reader answered the `mailto:` unsubscribe header.
    case unsubscribe
    /// An out-of-office or vacation reply, or other machine-written mail that is no bounce.
    case autoReply = "auto-reply"
    case unknown
}

/// A returned message, classified: what it is, about whom, with which status.
public struct ReturnedMailReport: Sendable, Hashable {
    public var kind: ReturnedMailKind
    /// Which shape it was recognised by: `dsn`, `arf`, `exim`, `qmail`, `exchange`, `gmail`,
    /// `postfix`, `text` (another bounce notice), `auto-reply`, `unsubscribe`, `unknown`.
    public var format: String
    /// The returned message's own Message-ID, without angle brackets: what makes handling it twice a no-op.
    public var messageID: String?
    /// Its `Date` header, when readable.
    public var date: Date?
    /// Its `From` address (the reader, for unsubscribe mails and auto-replies).
    public var from: String?
    /// The addresses it was delivered to (`To`, `Delivered-To`, `X-Original-To`, `Envelope-To`):
    /// where a VERP return path carries its token.
    public var deliveredTo: [String]
    /// Who the bounce or complaint is about: `Final-Recipient`, `Original-Recipient`,
    /// `Original-Rcpt-To`, or the addresses a text notice names, most likely first.
    public var recipients: [String]
    /// The enhanced status code (`5.1.1`), or the SMTP reply code (`550`) when that is all there is.
    public var status: String?
    /// The server's words (`Diagnostic-Code`, the quoted reply), one line, for the record.
    public var diagnostic: String?
    /// The Message-ID of the message that came back (from the attached original), without brackets.
    public var originalMessageID: String?
    /// Token-shaped words in an unsubscribe mail's subject or first lines, to be verified by the caller.
    public var tokens: [String]

    public init(
        kind: ReturnedMailKind, format: String, messageID: String? = nil, date: Date? = nil, from: String? = nil,
        deliveredTo: [String] = [], recipients: [String] = [], status: String? = nil, diagnostic: String? = nil,
        originalMessageID: String? = nil, tokens: [String] = []
    ) {
        self.kind = kind
        self.format = format
        self.messageID = messageID
        self.date = date
        self.from = from
        self.deliveredTo = deliveredTo
        self.recipients = recipients
        self.status = status
        self.diagnostic = diagnostic
        self.originalMessageID = originalMessageID
        self.tokens = tokens
    }
}

/// Why a message was not classified at all. It is skipped, and nothing changes.
public enum ReturnedMailError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooLarge(bytes: Int, limit: Int)
    case malformed(String)

    public var description: String {
        switch self {
        case .tooLarge(let bytes, let limit):
            "too large to be returned mail (\(bytes / 1024) KiB, over \(limit / 1024) KiB); left as it is"
        case .malformed(let reason):
            "not a mail message (\(reason)); left as it is"
        }
    }
}
