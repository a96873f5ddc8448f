import Foundation
import GazetteModel
import GazetteStore
import Logging

/// What readers do for themselves through `gazette serve`, each step proved by a signed token:
/// leave a list, confirm a subscription, choose what they follow, sign up. The same rules as
/// the editor's commands (`SubscriberAdmin`), which do the work.
public struct ReaderDesk: Sendable {
    public var config: GazetteConfig

    public init(config: GazetteConfig) {
        self.config = config
    }

    private var admin: SubscriberAdmin { SubscriberAdmin(config: config) }

    /// A reader, as a preferences token names them.
    public struct Reader: Sendable {
        public var subscriber: Subscriber
        /// The list the token was made for.
        public var list: SubscriberList
        /// Every list they are on.
        public var subscriptions: [Subscription]

        /// Their choices in the token's list, unless they left it.
        public var subscription: Subscription? { subscriptions.first { $0.listName == list.name } }
    }

    /// The subscriber and list a subscription token names.
    /// - Throws: `ReaderError` when the token is forged, damaged, for an unknown list or a removed subscriber.
    public func reader(token: String, environment: AppEnvironment) throws(ReaderError) -> Reader {
        let verified: SubscriptionToken
        do {
            verified = try SubscriptionToken.verify(token, key: environment.signingKey)
        } catch {
            throw .badToken(error)
        }
        return try reader(id: verified.subscriberID, listName: verified.listName, environment: environment)
    }

    private func reader(id: Int64, listName: String, environment: AppEnvironment) throws(ReaderError) -> Reader {
        guard let list = config.lists.first(where: { $0.name == listName }) else { throw .unknownList(listName) }
        do {
            guard let subscriber = try environment.database.subscriber(id: id) else { throw ReaderError.noSuchReader }
            return Reader(
                subscriber: subscriber, list: list, subscriptions: try environment.database.subscriptions(ofSubscriber: id))
        } catch let error as ReaderError {
            throw error
        } catch {
            throw .store(String(describing: error))
        }
    }

    /// Takes the reader off the token's list. Twice is the same as once.
    public func unsubscribe(token: String, environment: AppEnvironment) throws -> AppDatabase.UnsubscribeResult {
        let reader = try reader(token: token, environment: environment)
        return try environment.database.unsubscribe(subscriberID: reader.subscriber.id ?? 0, listName: reader.list.name)
    }

    /// Applies a double opt-in confirmation token.
    /// - Returns: the subscriber, the list, and false when they were already active.
    public func confirm(token: String, environment: AppEnvironment) throws -> (Subscriber, SubscriberList, changed: Bool) {
        let verified: ConfirmationToken
        do {
            verified = try ConfirmationToken.verify(token, key: environment.signingKey)
        } catch {
            throw ReaderError.badToken(error)
        }
        guard let list = config.lists.first(where: { $0.name == verified.listName }) else {
            throw ReaderError.unknownList(verified.listName)
        }
        let (subscriber, changed) = try admin.confirm(token: token, environment: environment)
        return (subscriber, list, changed)
    }

    /// What the reader can pick from in the token's list.
    public func vocabulary(for reader: Reader, environment: AppEnvironment) throws -> ReaderVocabulary {
        let now = environment.now()
        let articles = try environment.database.articles(
            firstSeenIn: DigestWindow(start: now.addingTimeInterval(-ReaderVocabulary.lookback), end: now))
        return ReaderVocabulary(articles: articles, sectionDepth: reader.list.sectionDepth, keeping: reader.subscription)
    }

    /// What the preferences form sends.
    public struct Choices: Sendable, Hashable {
        public var paused: Bool
        /// The lists to stay on; the reader's other lists are left.
        public var lists: Set<String>
        public var sections: [SectionPath] = []
        public var tags: [String] = []
        public var mutedSections: [SectionPath] = []
        public var mutedTags: [String] = []

        public init(paused: Bool, lists: Set<String>) {
            self.paused = paused
            self.lists = lists
        }
    }

    /// Saves the preferences form: pause or resume, leave lists, and what the token's list
    /// follows and mutes. Leaving every list is an unsubscribe.
    /// - Returns: the reader as they are now.
    public func save(token: String, _ choices: Choices, environment: AppEnvironment) throws -> Reader {
        let reader = try reader(token: token, environment: environment)
        guard let id = reader.subscriber.id else { throw ReaderError.noSuchReader }
        let email = reader.subscriber.email
        let memberships = reader.subscriptions.map(\.listName)
        let leaving = memberships.filter { !choices.lists.contains($0) }
        if leaving.count == memberships.count {
            for name in memberships { _ = try environment.database.unsubscribe(subscriberID: id, listName: name) }
            return try self.reader(id: id, listName: reader.list.name, environment: environment)
        }
        var update = SubscriberAdmin.Update()
        update.leave = leaving
        if !leaving.contains(reader.list.name), memberships.contains(reader.list.name) {
            update.inList = reader.list.name
            update.sections = choices.sections
            update.tags = choices.tags
            update.mutedSections = choices.mutedSections
            update.mutedTags = choices.mutedTags
        }
        _ = try admin.update(email: email, update, environment: environment)
        switch (choices.paused, reader.subscriber.status) {
        case (true, .active): _ = try admin.pause(email: email, environment: environment)
        case (false, .paused): _ = try admin.resume(email: email, environment: environment)
        default: break
        }
        return try self.reader(id: id, listName: reader.list.name, environment: environment)
    }

    /// What a sign-up on the public form came to. Known, unsubscribed and new addresses all
    /// give `.accepted`: the form never tells a stranger whether an address is on a list.
    public enum SignUp: Sendable, Equatable {
        /// A confirmation mail went out, or the address was already known.
        case accepted
        case invalidAddress(String)
        case noList
        /// The confirmation mail could not be sent; nothing was kept.
        case notSent
    }

    /// Signs an address up on the public form: pending until the owner confirms by mail.
    public func signUp(email: String, lists: [String], environment: AppEnvironment) async -> SignUp {
        let known = lists.filter { name in config.lists.contains { $0.name == name } }
        guard !known.isEmpty else { return .noList }
        if case .failure(let problem) = EmailAddress.validate(email) { return .invalidAddress(problem.description) }
        do {
            _ = try await admin.subscribe(NewSubscriber(email: email, lists: known), confirming: true, environment: environment)
            return .accepted
        } catch AdminError.confirmationNotSent {
            return .notSent
        } catch {
            // Already on record (active, pending, unsubscribed or suppressed): say the same as for a new address.
            environment.logger.info("public sign-up for a known address left as it was: \(error)")
            return .accepted
        }
    }
}

/// Why a reader's request was refused: every case is the reader's link, not the server.
public enum ReaderError: Error, Sendable, Equatable, CustomStringConvertible {
    case badToken(TokenError)
    case unknownList(String)
    case noSuchReader
    case store(String)

    public var description: String {
        switch self {
        case .badToken(let error): "this link is not valid (\(error.description)); use the newest link from your email"
        case .unknownList(let name): "the list '\(name)' no longer exists"
        case .noSuchReader: "this address is no longer on record"
        case .store(let reason): "the subscriber database could not be read: \(reason)"
        }
    }
}
