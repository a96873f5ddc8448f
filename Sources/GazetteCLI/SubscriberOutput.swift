import Foundation
import GazetteApp
import GazetteModel
import GazetteStore

/// How subscribers look on stdout: aligned rows for people, JSON for scripts.
enum SubscriberOutput {
    /// One subscriber for `--json`; field names are part of the scripting interface.
    struct SubscriberJSON: Encodable {
        struct Membership: Encodable {
            var list: String
            var sections: [String]
            var tags: [String]
            var muteSections: [String]
            var muteTags: [String]
        }
        var id: Int64?
        var email: String
        var name: String?
        var status: String
        var createdAt: Date
        var statusChangedAt: Date?
        var lists: [Membership]
        var deliveries: AppDatabase.DeliveryHistory?
        /// Returned mail about them (`gazette bounces`), newest first.
        var returnedMail: [ReturnedMailEntry]?

        init(_ subscriber: Subscriber, _ subscriptions: [Subscription], history: AppDatabase.DeliveryHistory? = nil) {
            id = subscriber.id
            email = subscriber.email
            name = subscriber.name
            status = subscriber.status.rawValue
            createdAt = subscriber.createdAt
            statusChangedAt = subscriber.statusChangedAt
            lists = subscriptions.map {
                Membership(
                    list: $0.listName, sections: $0.sections.map(\.description), tags: $0.tags,
                    muteSections: $0.mutedSections.map(\.description), muteTags: $0.mutedTags)
            }
            deliveries = history
        }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// One returned message on `subscribers show`: when, what, the status, what it did, and the message.
    static func returnedMail(_ entry: ReturnedMailEntry) -> String {
        [entry.receivedAt.formatted(.iso8601), entry.kind, entry.status, entry.listName, "→ " + entry.action.rawValue,
         entry.originalMessageID.map { "<\($0)>" } ?? "<\(entry.messageKey)>"]
            .compactMap { $0 }.joined(separator: " ")
    }

    static func json(_ value: some Encodable, pretty: Bool = false) throws -> String {
        let encoder = pretty ? prettyEncoder : self.encoder
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static let prettyEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// "daily (News > Middle East, #Turkey; muted #Sports); weekly".
    static func memberships(_ subscriptions: [Subscription]) -> String {
        subscriptions.map { subscription in
            var parts: [String] = []
            let follows = subscription.sections.map(\.description) + subscription.tags.map { "#" + $0 }
            if !follows.isEmpty { parts.append(follows.joined(separator: ", ")) }
            let mutes = subscription.mutedSections.map(\.description) + subscription.mutedTags.map { "#" + $0 }
            if !mutes.isEmpty { parts.append("muted " + mutes.joined(separator: ", ")) }
            return subscription.listName + (parts.isEmpty ? "" : " (" + parts.joined(separator: "; ") + ")")
        }.joined(separator: "; ")
    }

    /// "4 subscribers: 3 active, 1 paused".
    static func counts(_ counts: [SubscriberStatus: Int]) -> String {
        let total = counts.values.reduce(0, +)
        let parts = SubscriberStatus.allCases.compactMap { status in counts[status].map { "\($0) \(status.rawValue)" } }
        return "\(total) subscriber\(total == 1 ? "" : "s")" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
    }

    /// A cell padded to `width` characters, or cut to it with "…".
    /// Stored text is escaped first (`TerminalText`), so a line end or an escape sequence in a
    /// name shows as `\n` or `\x1b` instead of breaking the table or driving the terminal.
    static func cell(_ text: String, _ width: Int) -> String {
        let flat = TerminalText.escaped(text.replacingOccurrences(of: "\t", with: " "))
        if flat.count > width { return String(flat.prefix(max(width - 1, 0))) + "…" }
        return flat.padding(toLength: width, withPad: " ", startingAt: 0)
    }
}

/// Buffers stdout writes so a million-line listing is a few hundred writes, not a million.
final class BufferedOutput {
    private var buffer = ""
    private let handle: FileHandle

    init(_ handle: FileHandle = .standardOutput) {
        self.handle = handle
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ text: String) {
        buffer += text
        if buffer.utf8.count >= 1 << 16 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        handle.write(Data(buffer.utf8))
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { if !buffer.isEmpty { handle.write(Data(buffer.utf8)) } }
}
