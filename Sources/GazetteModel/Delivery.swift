import Foundation

/// What happened to one digest for one subscriber; the ledger row that keeps sends unique.
public enum DeliveryStatus: String, Sendable, Hashable, Codable {
    /// Written before handing the message to the transport. A pending row found later means
    /// the run died mid-send; the same Message-ID is retried, never a new one.
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

    public init(
        id: Int64? = nil, subscriberID: Int64, listName: String, edition: String, window: DigestWindow,
        status: DeliveryStatus, messageID: String, articleCount: Int, createdAt: Date, sentAt: Date? = nil,
        error: String? = nil, permanent: Bool = false, attempts: Int = 0
    ) {
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
