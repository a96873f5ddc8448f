import Foundation

/// What happened to one digest for one subscriber; the ledger row that keeps sends unique.
public enum DeliveryStatus: String, Sendable, Hashable, Codable {
    /// Written before handing the message to the transport. A pending row found later means
    /// the run died mid-send: the same message (same Message-ID, same bytes) is sent again,
    /// whether or not it had been handed over (`handedOverAt`): only the server's reply,
    /// committed as `sent`, proves a digest arrived.
    case pending
    case sent
    /// The transport refused or failed; retried on the next run.
    case failed
}

/// A row of the delivery ledger: subscriber × list × edition.
public struct Delivery: Sendable, Hashable, Codable {
    public var id: Int64?
    public var subscriberID: Int64
    public var listName: String
    /// The digest's edition key, e.g. "2026-11-26" for a daily list: one delivery per edition.
    public var edition: String
    public var window: DigestWindow
    public var status: DeliveryStatus
    public var messageID: String
    public var articleCount: Int
    public var createdAt: Date
    public var sentAt: Date?
    public var error: String?
    /// The last failure was permanent (the server answered 5xx): not retried unless asked.
    public var permanent: Bool
    /// How many times the message was handed to the transport.
    public var attempts: Int
    /// When the transport last passed the point after which it could no longer take the
    /// message back (for SMTP: the last bytes of DATA, just before the final `.`), if it did.
    /// Information only: a pending row with this set may already sit in the subscriber's
    /// mailbox, so sending it again may show the same message twice; it is sent again all
    /// the same, since the server may as well have discarded it (ADR 0004).
    public var handedOverAt: Date?

    /// An earlier attempt reached the server whole, but no reply was recorded: the next send
    /// of this row may arrive as a second copy of the same message.
    public var mayAlreadyHaveArrived: Bool { status == .pending && handedOverAt != nil }

    public init(
        id: Int64? = nil, subscriberID: Int64, listName: String, edition: String, window: DigestWindow,
        status: DeliveryStatus, messageID: String, articleCount: Int, createdAt: Date, sentAt: Date? = nil,
        error: String? = nil, permanent: Bool = false, attempts: Int = 0, handedOverAt: Date? = nil
    ) {
        self.handedOverAt = handedOverAt
        self.permanent = permanent
        self.attempts = attempts
        self.id = id
        self.subscriberID = subscriberID
        self.listName = listName
        self.edition = edition
        self.window = window
        self.status = status
        self.messageID = messageID
        self.articleCount = articleCount
        self.createdAt = createdAt
        self.sentAt = sentAt
        self.error = error
    }
}
