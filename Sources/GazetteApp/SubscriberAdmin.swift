import Foundation
import GazetteModel
import GazetteStore

/// A request to add one subscriber, as typed on the command line or read from a CSV row.
public struct NewSubscriber: Sendable, Hashable {
    public var email: String
    public var name: String?
    public var lists: [String]
    public var sections: [SectionPath]
    public var tags: [String]
    public var mutedSections: [SectionPath]
    public var mutedTags: [String]

    public init(
        email: String, name: String? = nil, lists: [String] = [], sections: [SectionPath] = [], tags: [String] = [],
        mutedSections: [SectionPath] = [], mutedTags: [String] = []
    ) {
        self.email = email
        self.name = name
        self.lists = lists
        self.sections = sections
        self.tags = tags
        self.mutedSections = mutedSections
        self.mutedTags = mutedTags
    }
}

/// `gazette subscribers …`: add, remove, list and import subscribers.
public struct SubscriberAdmin: Sendable {
    public var config: GazetteConfig

    public init(config: GazetteConfig) {
        self.config = config
    }

    /// Adds a subscriber to `lists` (all the config's lists when empty).
    /// - Throws: `AdminError.invalidAddress`, `ConfigError.unknownList`, `StoreError.duplicateSubscriber`.
    @discardableResult
    public func add(_ request: NewSubscriber, environment: AppEnvironment) throws -> Subscriber {
        let email: String
        switch EmailAddress.validate(request.email) {
        case .success(let valid): email = valid
        case .failure(let problem): throw AdminError.invalidAddress(problem.description)
        }
        let listNames = request.lists.isEmpty ? config.lists.map(\.name) : request.lists
        for name in listNames { _ = try config.list(named: name) }
        let name = request.name?.trimmingWhitespace()
        let subscriber = Subscriber(email: email, name: name?.isEmpty == false ? name : nil, status: .active, createdAt: environment.now())
        let subscriptions = listNames.map {
            Subscription(
                subscriberID: 0, listName: $0, sections: request.sections, tags: request.tags,
                mutedSections: request.mutedSections, mutedTags: request.mutedTags)
        }
        return try environment.database.addSubscriber(subscriber, subscriptions: subscriptions)
    }

    /// Applies an unsubscribe token from a link or a mailed request.
    /// - Throws: `TokenError` for a forged or damaged token.
    public func unsubscribe(token: String, environment: AppEnvironment) throws -> AppDatabase.UnsubscribeResult {
        let verified = try SubscriptionToken.verify(token, key: environment.signingKey)
        return try environment.database.unsubscribe(subscriberID: verified.subscriberID, listName: verified.listName)
    }

    /// Takes an address off a list (every list when `listName` is nil).
    public func unsubscribe(email: String, listName: String?, environment: AppEnvironment) throws -> [AppDatabase.UnsubscribeResult] {
        guard let subscriber = try environment.database.subscriber(email: email), let id = subscriber.id else {
            throw AdminError.noSuchSubscriber(email)
        }
        let lists = try listName.map { [$0] } ?? environment.database.subscriptions(ofSubscriber: id).map(\.listName)
        return try lists.map { try environment.database.unsubscribe(subscriberID: id, listName: $0) }
    }

    public func remove(email: String, environment: AppEnvironment) throws {
        try environment.database.removeSubscriber(email: email)
    }

    /// Subscribers with their memberships, by address.
    public func list(listName: String?, environment: AppEnvironment) throws -> [(Subscriber, [Subscription])] {
        if let listName { _ = try config.list(named: listName) }
        return try environment.database.subscribers(inList: listName).map { subscriber in
            (subscriber, try subscriber.id.map { try environment.database.subscriptions(ofSubscriber: $0) } ?? [])
        }
    }

    /// The result of an import: how many were added, which were already there, which rows were bad.
    public struct ImportReport: Sendable {
        public var added: [String] = []
        public var alreadyPresent: [String] = []
        /// "line 7: 'bob@' …", one per rejected row.
        public var rejected: [String] = []
    }

    /// Imports a CSV file (see `subscribers/README.md`); bad rows are reported by line and skipped.
    public func importCSV(text: String, defaultList: String?, environment: AppEnvironment) throws -> ImportReport {
        var report = ImportReport()
        let parsed = try SubscriberCSV.parse(text)
        report.rejected = parsed.problems
        for row in parsed.rows {
            var request = row.request
            if request.lists.isEmpty, let defaultList { request.lists = [defaultList] }
            do {
                try add(request, environment: environment)
                report.added.append(request.email)
            } catch StoreError.duplicateSubscriber {
                report.alreadyPresent.append(request.email)
            } catch {
                report.rejected.append("line \(row.line): \(error)")
            }
        }
        return report
    }
}
