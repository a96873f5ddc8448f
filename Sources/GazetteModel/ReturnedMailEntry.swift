import Foundation

/// What handling one returned message did to its subscriber.
public enum ReturnedMailAction: String, Sendable, Hashable, Codable {
    /// Recorded, nothing changed (an auto-reply, an unknown message, an unusable token).
    case noted
    /// A bounce counted toward the subscriber's limit, which it did not reach.
    case counted
    /// This bounce reached the limit: the subscriber is now `bounced`.
    case bounced
    /// A complaint, or an unsubscribe from their last list: the subscriber is `unsubscribed`.
    case unsubscribed
    /// An unsubscribe mail took them off one list; they keep their others.
    case leftList = "left-list"
    /// Nothing to do: already unsubscribed or bounced.
    case unchanged
    /// No subscriber could be matched to it.
    case noSubscriber = "no-subscriber"
}

/// One returned message as the database records it: the decision and why.
public struct ReturnedMailEntry: Sendable, Hashable, Codable {
    public var id: Int64?
    /// The returned message's Message-ID, or `sha256:<hex>` of its bytes when it has none:
    /// a message with a key already recorded is never counted again.
    public var messageKey: String
    public var subscriberID: Int64?
    /// The ledger row of the digest that came back, when known.
    public var deliveryID: Int64?
    /// The list an unsubscribe mail names.
    public var listName: String?
    /// `hard`, `soft`, `complaint`, `unsubscribe`, `auto-reply` or `unknown`.
    public var kind: String
    /// The status code the report or notice gave (`5.1.1`, `550`).
    public var status: String?
    /// The server's words, or how the message was recognised.
    public var detail: String?
    public var originalMessageID: String?
    public var action: ReturnedMailAction
    /// The returned message's own date (its `Date` header), else when it was read.
    public var receivedAt: Date
    public var recordedAt: Date

    public init(
        id: Int64? = nil, messageKey: String, subscriberID: Int64? = nil, deliveryID: Int64? = nil, listName: String? = nil,
        kind: String, status: String? = nil, detail: String? = nil, originalMessageID: String? = nil,
        action: ReturnedMailAction = .noted, receivedAt: Date, recordedAt: Date
    ) {
        self.id = id
        self.messageKey = messageKey
        self.subscriberID = subscriberID
        self.deliveryID = deliveryID
        self.listName = listName
        self.kind = kind
        self.status = status
        self.detail = detail
        self.originalMessageID = originalMessageID
        self.action = action
        self.receivedAt = receivedAt
        self.recordedAt = recordedAt
    }
}

/// When returned bounces stop an address being mailed.
public struct BounceRules: Sendable, Hashable {
    /// Hard bounces (since the last accepted message) that mark an address bounced.
    public var hardLimit: Int
    /// Soft bounces in a row (distinct digests, with no digest between them that came through)…
    public var softLimit: Int
    /// …spread over at least this many days.
    public var softDays: Int

    public init(hardLimit: Int = 1, softLimit: Int = 3, softDays: Int = 7) {
        self.hardLimit = hardLimit
        self.softLimit = softLimit
        self.softDays = softDays
    }
}
