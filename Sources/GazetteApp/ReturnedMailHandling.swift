import Crypto
import Foundation
import GazetteModel
import GazetteStore
import Logging
import ReturnedMail

/// `gazette bounces`: reads returned mail, works out whom each message is about, and records
/// the decision (`AppDatabase.recordReturnedMail`), which bounces, unsubscribes or only notes.
///
/// Whom it is about, most certain first: the VERP token on the address the message came back
/// to (`ReturnPathToken`), the Message-ID of the digest it returns (the ledger knows it), the
/// subscription token of an unsubscribe mail, then the addresses the message names.
public struct ReturnedMailHandling: Sendable {
    public var settings: ReturnedMailSettings

    public init(settings: ReturnedMailSettings) {
        self.settings = settings
    }

    /// Where returned mail is read from.
    public enum Source: Sendable, Hashable {
        /// A Maildir folder: new messages, and those in `cur/` not yet flagged seen. Each one
        /// handled is moved to `cur/` with the seen flag (`S`), so it is not read again.
        case maildir(String)
        /// An mbox file: read whole; messages already recorded are recognised by their key.
        case mbox(String)
        /// One message, as Postfix pipes it.
        case message(Data, name: String)
    }

    /// What was done with one message.
    public struct Decision: Sendable, Hashable, Codable {
        /// The file, or `mbox-file #3`, or `standard input`.
        public var message: String
        public var kind: String
        public var format: String
        public var email: String?
        public var list: String?
        public var status: String?
        public var action: String
    }

    /// What a pass over the sources found and did.
    public struct Summary: Sendable, Hashable, Codable {
        public var hard = 0
        public var soft = 0
        public var complaints = 0
        public var unsubscribes = 0
        public var autoReplies = 0
        public var unknown = 0
        /// Messages recorded by an earlier pass: not counted again.
        public var alreadyHandled = 0
        /// One line per message (or source) that could not be read, naming it: nothing changed for it.
        public var unreadable: [String] = []
        public var decisions: [Decision] = []

        public init() {}

        public var line: String {
            "returned mail: \(hard) hard, \(soft) soft, \(complaints) complaints, \(unsubscribes) unsubscribes, "
                + "\(autoReplies) auto-replies, \(unknown) unknown; \(alreadyHandled) already handled, \(unreadable.count) unreadable"
        }

        mutating func count(_ kind: ReturnedMailKind) {
            switch kind {
            case .hard: hard += 1
            case .soft: soft += 1
            case .complaint: complaints += 1
            case .unsubscribe: unsubscribes += 1
            case .autoReply: autoReplies += 1
            case .unknown: unknown += 1
            }
        }
    }

    /// Reads every source in turn. With `dryRun`, Maildir files stay where they are (the
    /// caller gives an environment whose database is a throwaway copy).
    public func handle(_ sources: [Source], dryRun: Bool = false, environment: AppEnvironment) throws -> Summary {
        var summary = Summary()
        for source in sources {
            switch source {
            case .message(let data, let name):
                _ = try handle(data, name: name, summary: &summary, environment: environment)
            case .mbox(let path):
                guard let data = FileManager.default.contents(atPath: path) else {
                    summary.unreadable.append("\(path): cannot read the mbox file")
                    continue
                }
                for (index, message) in Mbox.split(data).enumerated() {
                    _ = try handle(message, name: "\(path) #\(index + 1)", summary: &summary, environment: environment)
                }
            case .maildir(let path):
                try handleMaildir(path, dryRun: dryRun, summary: &summary, environment: environment)
            }
        }
        return summary
    }

    private func handleMaildir(_ path: String, dryRun: Bool, summary: inout Summary, environment: AppEnvironment) throws {
        let manager = FileManager.default
        let folder = URL(fileURLWithPath: path)
        for subfolder in ["new", "cur"] {
            let directory = folder.appendingPathComponent(subfolder)
            guard let names = try? manager.contentsOfDirectory(atPath: directory.path) else {
                summary.unreadable.append("\(directory.path): cannot list this Maildir folder")
                continue
            }
            for name in names.sorted() where !name.hasPrefix(".") {
                let (base, flags) = Self.maildirFlags(name)
                if subfolder == "cur", flags.contains("S") { continue }
                let file = directory.appendingPathComponent(name)
                guard let data = manager.contents(atPath: file.path) else {
                    summary.unreadable.append("\(file.path): cannot read this message")
                    continue
                }
                guard try handle(data, name: file.path, summary: &summary, environment: environment), !dryRun else { continue }
                let seen = String((flags + "S").sorted())
                let target = folder.appendingPathComponent("cur").appendingPathComponent("\(base):2,\(seen)")
                do {
                    try manager.moveItem(at: file, to: target)
                } catch {
                    summary.unreadable.append("\(file.path): handled, but cannot be moved to cur/: \(error.localizedDescription)")
                }
            }
        }
    }

    /// A Maildir file name's unique part and its flags (`1733.M1P2.host:2,RS` → `1733.M1P2.host`, `RS`).
    static func maildirFlags(_ name: String) -> (base: String, flags: String) {
        guard let info = name.range(of: ":2,", options: .backwards) else { return (name, "") }
        return (String(name[..<info.lowerBound]), String(name[info.upperBound...]))
    }

    /// Reads, matches and records one message.
    /// - Returns: false when it could not be read (it is named in `summary.unreadable`).
    func handle(_ data: Data, name: String, summary: inout Summary, environment: AppEnvironment) throws -> Bool {
        let report: ReturnedMailReport
        do {
            report = try ReturnedMailReader(maxBytes: settings.maxMessageBytes).read(data)
        } catch {
            summary.unreadable.append("\(name): \(error)")
            return false
        }
        let database = environment.database
        let key = report.messageID ?? "sha256:" + SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        if try database.isReturnedMailRecorded(messageKey: key) {
            summary.alreadyHandled += 1
            return true
        }
        let match = try match(report, environment: environment)
        let now = environment.now()
        let entry = ReturnedMailEntry(
            messageKey: key, subscriberID: match.subscriber?.id, deliveryID: match.deliveryID, listName: match.listName,
            kind: report.kind.rawValue, status: report.status,
            detail: [report.format, report.diagnostic].compactMap { $0 }.joined(separator: ": "),
            originalMessageID: report.originalMessageID ?? match.messageID, receivedAt: report.date ?? now, recordedAt: now)
        switch try database.recordReturnedMail(entry, rules: settings.rules) {
        case .alreadyHandled:
            summary.alreadyHandled += 1
        case .recorded(let recorded):
            summary.count(report.kind)
            summary.decisions.append(
                Decision(
                    message: name, kind: report.kind.rawValue, format: report.format, email: match.subscriber?.email,
                    list: match.listName, status: report.status, action: recorded.action.rawValue))
            if recorded.action == .bounced || recorded.action == .unsubscribed, let email = match.subscriber?.email {
                environment.logger.warning(
                    "\(email) is now \(recorded.action == .bounced ? "bounced" : "unsubscribed") (\(report.kind.rawValue), \(name))"
                )
            }
        }
        return true
    }

    struct Match {
        var subscriber: Subscriber?
        var deliveryID: Int64?
        var listName: String?
        /// The digest's Message-ID, from the ledger.
        var messageID: String?
    }

    func match(_ report: ReturnedMailReport, environment: AppEnvironment) throws -> Match {
        let database = environment.database
        let key = environment.signingKey
        if report.kind == .unsubscribe {
            // Only a token we signed unsubscribes: a From address is too easy to forge.
            for text in report.tokens {
                guard let token = try? SubscriptionToken.verify(text, key: key),
                    let subscriber = try database.subscriber(id: token.subscriberID)
                else { continue }
                return Match(subscriber: subscriber, listName: token.listName)
            }
            return Match()
        }
        for address in report.deliveredTo {
            guard let token = ReturnPathToken.find(in: address, key: key),
                let subscriber = try database.subscriber(id: token.subscriberID)
            else { continue }
            let delivery = try database.delivery(id: token.deliveryID).flatMap { $0.subscriberID == subscriber.id ? $0 : nil }
            return Match(
                subscriber: subscriber, deliveryID: delivery?.id, listName: delivery?.listName, messageID: delivery?.messageID)
        }
        if let original = report.originalMessageID, let delivery = try database.delivery(messageID: original),
            let subscriber = try database.subscriber(id: delivery.subscriberID)
        {
            return Match(
                subscriber: subscriber, deliveryID: delivery.id, listName: delivery.listName, messageID: delivery.messageID)
        }
        let named =
            [ReturnedMailKind.hard, .soft, .complaint].contains(report.kind) ? report.recipients : [report.from].compactMap { $0 }
        for address in named {
            if let subscriber = try database.subscriber(email: address) {
                return Match(subscriber: subscriber)
            }
        }
        return Match()
    }
}
