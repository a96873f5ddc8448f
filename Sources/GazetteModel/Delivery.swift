import Foundation

/// What happened to one digest for one subscriber; the ledger row that keeps sends unique.
public enum DeliveryStatus: String, Sendable, Hashable, Codable {
    /// Written before handing the message to the transport. A pending row found later means
    /// the run died mid-send: if the message was never handed over whole (`handedOverAt` is
    /// nil), the same Message-ID is retried, never a new one; if it was, see `isUnconfirmed`.
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
    /// When the transport passed the point after which it could no longer take the message
    /// back (for SMTP: the last bytes of DATA, just before the final `.`), if it did.
    public var handedOverAt: Date?

    /// The whole message reached the server, but the run stopped before the server's answer
    /// was read. A healthy server that has the whole message stores it, so the message counts
    /// as delivered and is not sent again unless asked (`gazette send --resend-unconfirmed`):
    /// sending it again would be the one way Gazette could make a subscriber's inbox show a
    /// digest twice.
    public var isUnconfirmed: Bool { status == .pending && handedOverAt != nil }

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
