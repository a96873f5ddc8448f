import Foundation

/// A mailbox: an optional display name and an address.
public struct MailAddress: Sendable, Hashable {
    public var name: String?
    public var address: String

    public init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }

    /// The part after the "@", used for Message-IDs on the sender's domain.
    public var domain: String {
        address.split(separator: "@").last.map(String.init) ?? "localhost"
    }
}

/// One digest email before it becomes bytes.
public struct MailMessage: Sendable, Hashable {
    public var from: MailAddress
    public var to: MailAddress
    public var subject: String
    public var date: Date
    /// Without angle brackets: `gazette.daily.2026-11-26.7f3a…@example.org`.
    public var messageID: String
    /// Further headers in order (List-Id, List-Unsubscribe, …); values are ASCII or get encoded.
    public var extraHeaders: [(name: String, value: String)]
    public var text: String
    public var html: String

    public init(
        from: MailAddress, to: MailAddress, subject: String, date: Date, messageID: String,
        extraHeaders: [(name: String, value: String)] = [], text: String, html: String
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.extraHeaders = extraHeaders
        self.text = text
        self.html = html
    }

    public static func == (lhs: MailMessage, rhs: MailMessage) -> Bool {
        lhs.from == rhs.from && lhs.to == rhs.to && lhs.subject == rhs.subject && lhs.date == rhs.date
            && lhs.messageID == rhs.messageID && lhs.text == rhs.text && lhs.html == rhs.html
            && lhs.extraHeaders.map(\.name) == rhs.extraHeaders.map(\.name)
            && lhs.extraHeaders.map(\.value) == rhs.extraHeaders.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(messageID)
    }
}
