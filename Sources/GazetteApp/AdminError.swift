import Foundation
import GazetteModel

/// A subscriber or list command that cannot be carried out as asked.
public enum AdminError: Error, Sendable, Equatable, CustomStringConvertible {
    case noSuchSubscriber(String)
    case notInList(email: String, list: String)
    case invalidAddress(String)
    case csv(file: String, problems: [String])
    /// The address unsubscribed or bounced: only an explicit resubscribe mails it again.
    case stickyStatus(email: String, status: SubscriberStatus)
    /// The address unsubscribed or bounced before it was removed.
    case suppressed(email: String)
    /// The change does not apply to a subscriber in this status ("cannot resume: pending").
    case wrongStatus(email: String, status: SubscriberStatus, action: String, hint: String)
    case invalidList(String)
    /// The list is declared in the config, which the command line does not edit.
    case listInConfig(name: String, file: String)
    case confirmationNotSent(email: String, reason: String)
    case invalidTopic(String)
    /// No source of that name in the config (`known`: the names there are).
    case noSuchSource(name: String, known: [String])
    /// The feed (or the name) is already a configured source.
    case sourceExists(feed: String, existing: String)
    /// A name, section, tag or title over its bound (`SubscriberFields`).
    case fieldTooLong(String)
    /// The thing to add is there already (a source in the config).
    case alreadyExists(String)

    /// What kind of problem it is, for exit codes.
    public enum Kind: Sendable {
        /// No such subscriber or list.
        case notFound
        /// It exists already, or the change needs an explicit flag.
        case conflict
        /// The input itself is wrong: an address, a CSV file, a list definition.
        case invalidInput
        case failed
    }

    public var kind: Kind {
        switch self {
        case .noSuchSubscriber, .notInList, .noSuchSource: .notFound
        case .stickyStatus, .suppressed, .wrongStatus, .listInConfig, .sourceExists, .alreadyExists: .conflict
        case .invalidAddress, .csv, .invalidList, .invalidTopic, .fieldTooLong: .invalidInput
        case .confirmationNotSent: .failed
        }
    }

    public var description: String {
        switch self {
        case .noSuchSubscriber(let email):
            "no subscriber with the address \(email); see `gazette subscribers list`"
        case .notInList(let email, let list):
            "\(email) is not subscribed to the list '\(list)'"
        case .invalidAddress(let reason):
            reason
        case .csv(let file, let problems):
            "\(file): " + problems.joined(separator: "; ")
        case .stickyStatus(let email, let status):
            "\(email) is \(status.rawValue) and stays so; mail it again only with their consent: "
                + "`gazette subscribers resubscribe \(email)` (or --resubscribe)"
        case .suppressed(let email):
            "\(email) unsubscribed or bounced before it was removed; add it again only with their consent, with --resubscribe"
        case .wrongStatus(let email, let status, let action, let hint):
            "cannot \(action) \(email): it is \(status.rawValue)" + (hint.isEmpty ? "" : "; \(hint)")
        case .invalidList(let reason):
            reason
        case .listInConfig(let name, let file):
            "the list '\(name)' is declared in \(file); change or delete it there"
        case .confirmationNotSent(let email, let reason):
            "the confirmation mail to \(email) could not be sent (\(reason)); nothing was added, try again"
        case .invalidTopic(let reason), .fieldTooLong(let reason), .alreadyExists(let reason):
            reason
        case .noSuchSource(let name, let known):
            "no source is named '\(name)'" + (known.isEmpty ? " (the config has none)" : "; the sources are: " + known.joined(separator: ", "))
        case .sourceExists(let feed, let existing):
            "\(feed) is already the source '\(existing)'"
        }
    }
}
