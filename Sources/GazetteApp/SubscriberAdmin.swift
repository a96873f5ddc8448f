import Foundation
import GazetteModel
import GazetteStore
import Mailing

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

    func subscriptions(in lists: [String]) -> [Subscription] {
        lists.map {
            Subscription(
                subscriberID: 0, listName: $0, sections: sections, tags: tags, mutedSections: mutedSections, mutedTags: mutedTags)
        }
    }
}

/// `gazette subscribers …`: every change an editor makes to a subscriber.
///
/// The rules that keep mail wanted: an unsubscribed or bounced address is never made active
/// by `add`, `import`, `resume` or `update`, only by an explicit resubscribe; a pending
/// (double opt-in) subscriber is mailed nothing but the confirmation until they confirm.
public struct SubscriberAdmin: Sendable {
    public var config: GazetteConfig

    public init(config: GazetteConfig) {
        self.config = config
    }

    // MARK: - Adding

    /// Adds a subscriber to `lists` (all lists when empty). Pending when a list asks for
    /// double opt-in; `subscribe` also mails the confirmation.
    /// - Parameter resubscribe: allow an address on record as unsubscribed or bounced (or
    ///   removed after either) to be mailed again: only with the person's consent.
    /// - Parameter confirming: pending whatever the lists say (a stranger's sign-up on the
    ///   public form is confirmed by the address's owner before anything else is mailed).
    /// - Throws: `AdminError.invalidAddress`, `.stickyStatus`, `.suppressed`,
    ///   `ConfigError.unknownList`, `StoreError.duplicateSubscriber`.
    @discardableResult
    public func add(
        _ request: NewSubscriber, resubscribe: Bool = false, confirming: Bool = false, environment: AppEnvironment
    ) throws -> Subscriber {
        let email = try validAddress(request.email)
        let request = try SubscriberFields.checked(request).mapError { AdminError.fieldTooLong($0.reason) }.get()
        let listNames = request.lists.isEmpty ? config.lists.map(\.name) : request.lists
        let lists = try listNames.map { name throws(ConfigError) in try config.list(named: name) }
        let name = request.name?.trimmingWhitespace()
        let now = environment.now()
        let status: SubscriberStatus = confirming || lists.contains(where: \.doubleOptIn) ? .pending : .active
        let subscriber = Subscriber(email: email, name: name?.isEmpty == false ? name : nil, status: status, createdAt: now)
        let database = environment.database
        if let existing = try database.subscriber(email: email) {
            guard existing.status.isSticky else { throw StoreError.duplicateSubscriber(email: existing.email) }
            guard resubscribe else { throw AdminError.stickyStatus(email: existing.email, status: existing.status) }
            var again = subscriber
            again.statusChangedAt = now
            return try database.resubscribe(
                existing: existing.id, again, subscriptions: request.subscriptions(in: listNames), suppressionHash: nil)
        }
        let hash = Suppression.hash(email)
        if try database.isSuppressed(hash: hash) {
            guard resubscribe else { throw AdminError.suppressed(email: email) }
            return try database.resubscribe(
                existing: nil, subscriber, subscriptions: request.subscriptions(in: listNames), suppressionHash: hash)
        }
        return try database.addSubscriber(subscriber, subscriptions: request.subscriptions(in: listNames))
    }

    /// What `subscribe` did.
    public struct Subscribed: Sendable {
        public var subscriber: Subscriber
        /// The list whose confirmation mail was sent, when the subscriber is pending.
        public var confirmationList: String?
    }

    /// `add`, then for a pending subscriber the confirmation mail through the configured
    /// transport. When the mail cannot be sent the new subscriber is taken out again, so a
    /// failed add leaves nothing behind.
    public func subscribe(
        _ request: NewSubscriber, resubscribe: Bool = false, confirming: Bool = false, environment: AppEnvironment
    ) async throws -> Subscribed {
        let subscriber = try add(request, resubscribe: resubscribe, confirming: confirming, environment: environment)
        guard subscriber.status == .pending, let id = subscriber.id else { return Subscribed(subscriber: subscriber) }
        let memberships = try environment.database.subscriptions(ofSubscriber: id).map(\.listName)
        guard let list = config.lists.first(where: { ($0.doubleOptIn || confirming) && memberships.contains($0.name) }) else {
            return Subscribed(subscriber: subscriber)
        }
        do {
            try await sendConfirmation(to: subscriber, list: list, environment: environment)
        } catch {
            if !resubscribe { try environment.database.deleteSubscriberRow(id: id) }
            throw AdminError.confirmationNotSent(email: subscriber.email, reason: String(describing: error))
        }
        return Subscribed(subscriber: subscriber, confirmationList: list.name)
    }

    /// Mails the double opt-in confirmation for `list` with a signed token.
    public func sendConfirmation(to subscriber: Subscriber, list: SubscriberList, environment: AppEnvironment) async throws {
        let token = ConfirmationToken(subscriberID: subscriber.id ?? 0, listName: list.name).signed(with: environment.signingKey)
        try await environment.transport.deliver(ConfirmationMail.message(
            list: list, subscriber: subscriber, token: token, date: environment.now(), randomToken: environment.makeToken(),
            timeZone: config.timeZone))
    }

    /// Applies a confirmation token: a pending subscriber becomes active.
    /// - Returns: the subscriber, and false when they were already active.
    /// - Throws: `TokenError`, `AdminError.wrongStatus` for an unsubscribed or bounced one.
    public func confirm(token: String, environment: AppEnvironment) throws -> (Subscriber, changed: Bool) {
        let verified = try ConfirmationToken.verify(token, key: environment.signingKey)
        guard var subscriber = try environment.database.subscriber(id: verified.subscriberID), let id = subscriber.id else {
            throw AdminError.noSuchSubscriber("#\(verified.subscriberID) (removed since the token was sent)")
        }
        switch subscriber.status {
        case .active: return (subscriber, false)
        case .pending:
            try environment.database.setStatus(.active, subscriberID: id, at: environment.now())
            subscriber.status = .active
            return (subscriber, true)
        case .paused, .unsubscribed, .bounced:
            throw AdminError.wrongStatus(
                email: subscriber.email, status: subscriber.status, action: "confirm", hint: "an old confirmation does not override that")
        }
    }

    // MARK: - Status

    /// Stops mailing an active subscriber, keeping their lists.
    public func pause(email: String, environment: AppEnvironment) throws -> Subscriber {
        try change(email, environment: environment, to: .paused, from: [.active], action: "pause", hint: "only active subscribers are paused")
    }

    /// Mails a paused subscriber again.
    public func resume(email: String, environment: AppEnvironment) throws -> Subscriber {
        try change(
            email, environment: environment, to: .active, from: [.paused], action: "resume",
            hint: "`resume` only undoes `pause`; an unsubscribed or bounced address needs `resubscribe`, a pending one `confirm`")
    }

    /// Mails an unsubscribed or bounced address again, on the person's word, joining `listName` if given.
    public func resubscribe(email: String, listName: String?, environment: AppEnvironment) throws -> Subscriber {
        let subscriber = try existing(email, environment)
        guard subscriber.status.isSticky || subscriber.status == .paused else {
            throw AdminError.wrongStatus(email: subscriber.email, status: subscriber.status, action: "resubscribe", hint: "")
        }
        var lists: [Subscription] = []
        if let listName, let id = subscriber.id {
            _ = try config.list(named: listName)
            let current = try environment.database.subscriptions(ofSubscriber: id)
            if !current.contains(where: { $0.listName == listName }) { lists = [Subscription(subscriberID: id, listName: listName)] }
        }
        var again = subscriber
        again.status = .active
        again.statusChangedAt = environment.now()
        return try environment.database.resubscribe(existing: subscriber.id, again, subscriptions: lists, suppressionHash: nil)
    }

    private func change(
        _ email: String, environment: AppEnvironment, to status: SubscriberStatus, from allowed: Set<SubscriberStatus>, action: String,
        hint: String
    ) throws -> Subscriber {
        var subscriber = try existing(email, environment)
        guard subscriber.status != status else { return subscriber }
        guard allowed.contains(subscriber.status), let id = subscriber.id else {
            throw AdminError.wrongStatus(email: subscriber.email, status: subscriber.status, action: action, hint: hint)
        }
        try environment.database.setStatus(status, subscriberID: id, at: environment.now())
        subscriber.status = status
        return subscriber
    }

    /// Applies an unsubscribe token from a link or a mailed request.
    /// - Throws: `TokenError` for a forged or damaged token.
    public func unsubscribe(token: String, environment: AppEnvironment) throws -> AppDatabase.UnsubscribeResult {
        let verified = try SubscriptionToken.verify(token, key: environment.signingKey)
        return try environment.database.unsubscribe(subscriberID: verified.subscriberID, listName: verified.listName)
    }

    /// Takes an address off a list (every list when `listName` is nil).
    public func unsubscribe(email: String, listName: String?, environment: AppEnvironment) throws -> [AppDatabase.UnsubscribeResult] {
        let subscriber = try existing(email, environment)
        guard let id = subscriber.id else { throw AdminError.noSuchSubscriber(email) }
        let memberships = try environment.database.subscriptions(ofSubscriber: id).map(\.listName)
        if let listName, !memberships.contains(listName) { throw AdminError.notInList(email: subscriber.email, list: listName) }
        return try (listName.map { [$0] } ?? memberships).map { try environment.database.unsubscribe(subscriberID: id, listName: $0) }
    }

    // MARK: - Changing

    /// What `update` changes; nil leaves a field as it is.
    public struct Update: Sendable {
        public var email: String?
        /// An empty name clears it.
        public var name: String?
        public var join: [String] = []
        public var leave: [String] = []
        /// Only this list's preferences change (default: every list of the subscriber's).
        public var inList: String?
        public var sections: [SectionPath]?
        public var tags: [String]?
        public var mutedSections: [SectionPath]?
        public var mutedTags: [String]?

        public init() {}
    }

    public func update(email: String, _ update: Update, environment: AppEnvironment) throws -> (Subscriber, [Subscription]) {
        // Bounded and cleaned before anything is written (`SubscriberFields`).
        var update = update
        update.sections = try update.sections.map { paths throws(SubscriberFields.FieldProblem) in
            try SubscriberFields.sections(paths, field: "sections")
        }
        update.mutedSections = try update.mutedSections.map { paths throws(SubscriberFields.FieldProblem) in
            try SubscriberFields.sections(paths, field: "mute_sections")
        }
        update.tags = try update.tags.map { tags throws(SubscriberFields.FieldProblem) in try SubscriberFields.tags(tags, field: "tags") }
        update.mutedTags = try update.mutedTags.map { tags throws(SubscriberFields.FieldProblem) in
            try SubscriberFields.tags(tags, field: "mute_tags")
        }
        let subscriber = try existing(email, environment)
        guard let id = subscriber.id else { throw AdminError.noSuchSubscriber(email) }
        let database = environment.database
        let now = environment.now()
        for name in update.join + update.leave + (update.inList.map { [$0] } ?? []) { _ = try config.list(named: name) }
        var memberships = try database.subscriptions(ofSubscriber: id)
        for name in update.leave where !memberships.contains(where: { $0.listName == name }) {
            throw AdminError.notInList(email: subscriber.email, list: name)
        }
        if let inList = update.inList, !memberships.contains(where: { $0.listName == inList }), !update.join.contains(inList) {
            throw AdminError.notInList(email: subscriber.email, list: inList)
        }
        let remaining = memberships.filter { !update.leave.contains($0.listName) }.count + update.join.count
        if remaining == 0 {
            throw AdminError.wrongStatus(
                email: subscriber.email, status: subscriber.status, action: "leave every list",
                hint: "use `gazette subscribers unsubscribe` or `remove`")
        }
        if update.email != nil || update.name != nil {
            let newEmail = try update.email.map(validAddress) ?? subscriber.email
            let cleanName = try update.name.map { text in
                try SubscriberFields.name(text.trimmingWhitespace())
            }
            let name = update.name == nil ? subscriber.name : cleanName ?? nil
            try database.updateSubscriber(id: id, email: newEmail, name: name)
        }
        for name in update.leave { try database.deleteSubscription(subscriberID: id, listName: name) }
        memberships.removeAll { update.leave.contains($0.listName) }
        for name in update.join where !memberships.contains(where: { $0.listName == name }) {
            let template = memberships.first ?? Subscription(subscriberID: id, listName: name)
            var joined = template
            joined.listName = name
            memberships.append(joined)
            try database.saveSubscription(joined, at: now)
        }
        for var subscription in memberships where update.inList == nil || update.inList == subscription.listName {
            let before = subscription
            if let sections = update.sections { subscription.sections = sections }
            if let tags = update.tags { subscription.tags = tags }
            if let muted = update.mutedSections { subscription.mutedSections = muted }
            if let muted = update.mutedTags { subscription.mutedTags = muted }
            if subscription != before { try database.saveSubscription(subscription, at: now) }
        }
        return try details(id: id, environment: environment)
    }

    /// A section ("News > Israel") or a tag ("#Turkey" or "tag:Turkey"), as `follow` takes it.
    public enum Topic: Sendable, Hashable, CustomStringConvertible {
        case section(SectionPath)
        case tag(String)

        public init(parsing text: String) throws {
            let trimmed = text.trimmingWhitespace()
            if trimmed.contains(";") { throw AdminError.invalidTopic("'\(text)': give one section or tag at a time (no ';')") }
            if trimmed.hasPrefix("#") || trimmed.lowercased().hasPrefix("tag:") {
                let tag = String(trimmed.dropFirst(trimmed.hasPrefix("#") ? 1 : 4)).trimmingWhitespace()
                let cleaned = try SubscriberFields.tags([tag], field: "the tag")
                guard let tag = cleaned.first else { throw AdminError.invalidTopic("'\(text)' names no tag") }
                self = .tag(tag)
            } else {
                let section = try SubscriberFields.sections([SectionPath(parsing: trimmed)], field: "the section")
                guard let section = section.first else { throw AdminError.invalidTopic("'\(text)' names no section") }
                self = .section(section)
            }
        }

        public var description: String {
            switch self {
            case .section(let path): path.description
            case .tag(let tag): "#" + tag
            }
        }
    }

    /// What a follow or unfollow changed.
    public struct FollowResult: Sendable {
        public var subscriber: Subscriber
        public var subscriptions: [Subscription]
        /// The lists in which it changed something; empty when it already was so (a follow).
        public var changedLists: [String]
    }

    /// Adds (or with `follow: false` removes) a section or tag to what the subscriber
    /// follows in `listName` (default: each of their lists).
    public func follow(
        email: String, topic: Topic, follow: Bool, listName: String?, environment: AppEnvironment
    ) throws -> (Subscriber, [Subscription]) {
        let result = try changeFollowing(email: email, topic: topic, follow: follow, listName: listName, anyway: true, environment: environment)
        return (result.subscriber, result.subscriptions)
    }

    /// `follow`, saying what changed. An unfollow that changes nothing is an error naming what
    /// the subscriber does follow (and the tag, when they meant `#Turkey` but wrote `Turkey`);
    /// so is a follow of a name no recent article carries, with the closest one, unless `anyway`.
    public func changeFollowing(
        email: String, topic: Topic, follow: Bool, listName: String?, anyway: Bool = false, environment: AppEnvironment
    ) throws -> FollowResult {
        let subscriber = try existing(email, environment)
        guard let id = subscriber.id else { throw AdminError.noSuchSubscriber(email) }
        let memberships = try environment.database.subscriptions(ofSubscriber: id)
        if let listName, !memberships.contains(where: { $0.listName == listName }) {
            throw AdminError.notInList(email: subscriber.email, list: listName)
        }
        let affected = memberships.filter { listName == nil || listName == $0.listName }
        if follow, !anyway { try checkKnown(topic, environment: environment) }
        var changed: [String] = []
        for var subscription in affected {
            let before = subscription
            switch (topic, follow) {
            case (.section(let path), true) where !subscription.sections.contains(path): subscription.sections.append(path)
            case (.tag(let tag), true) where !subscription.tags.contains(tag): subscription.tags.append(tag)
            case (.section(let path), false): subscription.sections.removeAll { $0 == path }
            case (.tag(let tag), false): subscription.tags.removeAll { $0 == tag }
            default: break
            }
            if subscription != before {
                try environment.database.saveSubscription(subscription, at: environment.now())
                changed.append(subscription.listName)
            }
        }
        if !follow, changed.isEmpty {
            throw AdminError.invalidTopic(Self.notFollowed(topic, by: subscriber.email, in: affected))
        }
        let (current, subscriptions) = try details(id: id, environment: environment)
        return FollowResult(subscriber: current, subscriptions: subscriptions, changedLists: changed)
    }

    /// "x does not follow Turkey; they follow the tag #Turkey: …"
    static func notFollowed(_ topic: Topic, by email: String, in subscriptions: [Subscription]) -> String {
        let sections = Set(subscriptions.flatMap(\.sections))
        let tags = Set(subscriptions.flatMap(\.tags))
        var message = "\(email) does not follow \(topic)"
        switch topic {
        case .section(let path) where path.components.count == 1:
            if let tag = tags.first(where: { $0.lowercased() == path.description.lowercased() }) {
                return message + "; they follow the tag #\(tag): `gazette subscribers unfollow \(email) '#\(tag)'`"
            }
        case .tag(let tag):
            if let section = sections.first(where: { $0.description.lowercased() == tag.lowercased() }) {
                return message + "; they follow the section \(section): `gazette subscribers unfollow \(email) '\(section)'`"
            }
        default: break
        }
        let followed = sections.map(\.description).sorted() + tags.sorted().map { "#" + $0 }
        message += followed.isEmpty ? " (they follow the whole list)" : "; they follow " + followed.joined(separator: ", ")
        return message
    }

    /// Refuses a section or tag that no article of the last 30 days carries, naming the
    /// closest that one does. With no articles stored yet there is nothing to check against.
    private func checkKnown(_ topic: Topic, environment: AppEnvironment) throws {
        let now = environment.now()
        let articles = try environment.database.articles(
            firstSeenIn: DigestWindow(start: now.addingTimeInterval(-ReaderVocabulary.lookback), end: now))
        guard !articles.isEmpty else { return }
        let known: [String]
        let wanted: String
        switch topic {
        case .section(let path):
            // A section and every section above it ("News" for "News > Israel").
            known = Array(Set(articles.flatMap { article in
                (1...max(article.section.components.count, 1)).map { article.section.truncated(toDepth: $0).description }
            }).filter { !$0.isEmpty })
            wanted = path.description
        case .tag(let tag):
            known = Array(Set(articles.flatMap(\.tags)))
            wanted = tag
        }
        guard !known.contains(where: { $0.lowercased() == wanted.lowercased() }) else { return }
        let closest = known.min { Self.distance($0.lowercased(), wanted.lowercased()) < Self.distance($1.lowercased(), wanted.lowercased()) }
        let kind = if case .tag = topic { "tag" } else { "section" }
        let suggestion = closest.map { kind == "tag" ? "; did you mean #\($0)?" : "; did you mean '\($0)'?" } ?? ""
        throw AdminError.invalidTopic(
            "no article of the last 30 days has the \(kind) '\(wanted)'\(suggestion) (add --anyway to follow it all the same)")
    }

    /// Levenshtein distance, for "did you mean".
    static func distance(_ first: String, _ second: String) -> Int {
        let a = Array(first)
        let b = Array(second)
        guard !a.isEmpty else { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let saved = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = saved
            }
        }
        return row[b.count]
    }

    // MARK: - Removing

    /// Removes a subscriber. Their address and name are forgotten; their delivery history is
    /// kept (as an anonymous row) unless `erase`. An address that had unsubscribed or bounced
    /// is remembered as a hash, so an old CSV cannot bring it back.
    public func remove(email: String, erase: Bool, environment: AppEnvironment) throws -> AppDatabase.Removal {
        let subscriber = try existing(email, environment)
        guard let id = subscriber.id else { throw AdminError.noSuchSubscriber(email) }
        return try environment.database.removeSubscriber(
            id: id, erase: erase, suppressionHash: subscriber.status.isSticky ? Suppression.hash(subscriber.email) : nil,
            at: environment.now())
    }

    // MARK: - Reading

    /// The subscriber with this address, or `AdminError.noSuchSubscriber`.
    public func existing(_ email: String, _ environment: AppEnvironment) throws -> Subscriber {
        let address = (try? validAddress(email)) ?? email
        guard let subscriber = try environment.database.subscriber(email: address) else { throw AdminError.noSuchSubscriber(email) }
        return subscriber
    }

    /// A subscriber with their memberships and delivery history.
    public func show(email: String, environment: AppEnvironment) throws -> (Subscriber, [Subscription], AppDatabase.DeliveryHistory) {
        let subscriber = try existing(email, environment)
        guard let id = subscriber.id else { throw AdminError.noSuchSubscriber(email) }
        return (subscriber, try environment.database.subscriptions(ofSubscriber: id), try environment.database.deliveryHistory(subscriberID: id))
    }

    private func details(id: Int64, environment: AppEnvironment) throws -> (Subscriber, [Subscription]) {
        guard let subscriber = try environment.database.subscriber(id: id) else { throw AdminError.noSuchSubscriber("#\(id)") }
        return (subscriber, try environment.database.subscriptions(ofSubscriber: id))
    }

    /// Subscribers with their memberships, by address (small lists; `forEach` streams).
    public func list(listName: String?, environment: AppEnvironment) throws -> [(Subscriber, [Subscription])] {
        var rows: [(Subscriber, [Subscription])] = []
        try forEach(AppDatabase.SubscriberFilter(listName: listName), environment: environment) { rows.append(($0, $1)) }
        return rows
    }

    /// Streams the matching subscribers from the database, one at a time.
    /// - Throws: `ConfigError.unknownList` for a list that does not exist.
    public func forEach(
        _ filter: AppDatabase.SubscriberFilter, environment: AppEnvironment, _ body: (Subscriber, [Subscription]) throws -> Void
    ) throws {
        if let listName = filter.listName { _ = try config.list(named: listName) }
        try environment.database.forEachSubscriber(filter, body)
    }

    /// Writes the matching subscribers as CSV (the import format) through `write`, streaming.
    /// - Returns: how many subscribers were written.
    public func export(_ filter: AppDatabase.SubscriberFilter, environment: AppEnvironment, write: (String) throws -> Void) throws -> Int {
        try write(SubscriberCSV.header)
        var count = 0
        try forEach(filter, environment: environment) { subscriber, subscriptions in
            try write(SubscriberCSV.lines(subscriber, subscriptions))
            count += 1
        }
        return count
    }

    func validAddress(_ text: String) throws -> String {
        switch EmailAddress.validate(text) {
        case .success(let valid): return valid
        case .failure(let problem): throw AdminError.invalidAddress(problem.description)
        }
    }
}
