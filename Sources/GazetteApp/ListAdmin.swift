import Foundation
import GazetteModel
import GazetteStore

/// `gazette lists …`: add, remove, list and show lists.
public struct ListAdmin: Sendable {
    public var config: GazetteConfig
    public var catalog: ListCatalog

    public init(config: GazetteConfig, catalog: ListCatalog) {
        self.config = config
        self.catalog = catalog
    }

    /// A list and who is on it.
    public struct Summary: Sendable {
        public var list: SubscriberList
        public var origin: ListCatalog.Origin?
        /// Members by status; `origin` nil means memberships for a list nobody defines.
        public var members: [SubscriberStatus: Int]
        public var total: Int { members.values.reduce(0, +) }
    }

    /// Checks and stores a list made on the command line.
    /// - Throws: `AdminError.invalidList`, `AdminError.listInConfig`, `StoreError.duplicateList`.
    public func add(_ list: SubscriberList, environment: AppEnvironment) throws {
        guard SubscriberList.isValidName(list.name) else {
            throw AdminError.invalidList("'\(list.name)' is not a list name: use letters, digits, '.', '-' or '_' (it is typed on the command line)")
        }
        if config.lists.contains(where: { $0.name == list.name }), catalog.entry(named: list.name)?.origin != .database {
            throw AdminError.listInConfig(name: list.name, file: config.file)
        }
        var list = list
        do throws(SubscriberFields.FieldProblem) {
            list.title = try SubscriberFields.listTitle(list.title)
        } catch {
            throw AdminError.invalidList("--title: \(error.reason)")
        }
        guard !list.title.isEmpty else { throw AdminError.invalidList("--title must not be empty") }
        if case .failure(let problem) = EmailAddress.validate(list.senderAddress) {
            throw AdminError.invalidList("--sender-address: \(problem)")
        }
        do {
            _ = try Schedule(parsing: list.schedule)
        } catch {
            throw AdminError.invalidList("--schedule: \(error)")
        }
        if let template = list.confirmURLTemplate, !(template.lowercased().hasPrefix("https://") && template.contains("{token}")) {
            throw AdminError.invalidList("--confirm-url must be an https:// URL containing {token}")
        }
        try environment.database.addList(list, at: environment.now())
    }

    /// Removes a list made on the command line once nobody is on it. The database copy of a
    /// list the config also declares can always go: its members stay on the config's list.
    public func remove(name: String, environment: AppEnvironment) throws {
        switch catalog.entry(named: name)?.origin {
        case .config: throw AdminError.listInConfig(name: name, file: config.file)
        case .both:
            try environment.database.removeList(named: name, evenWithMembers: true)
        case .database:
            try environment.database.removeList(named: name)
        case nil:
            throw StoreError.listNotFound(name: name)
        }
    }

    /// Every list with its member counts, then any list name that memberships use but no
    /// list defines (with a warning: those members get nothing).
    public func summaries(environment: AppEnvironment) throws -> (lists: [Summary], warnings: [String]) {
        let counts = try environment.database.membershipCounts()
        var summaries = catalog.entries.map { Summary(list: $0.list, origin: $0.origin, members: counts[$0.list.name] ?? [:]) }
        var warnings = catalog.warnings
        let known = Set(catalog.entries.map(\.list.name))
        for (name, members) in counts.sorted(by: { $0.key < $1.key }) where !known.contains(name) {
            summaries.append(Summary(
                list: SubscriberList(name: name, title: "(not defined)", senderName: "", senderAddress: "", schedule: "-"),
                origin: nil, members: members))
            warnings.append(
                "\(members.values.reduce(0, +)) subscriber(s) are on '\(name)', which neither \(config.file) nor the database "
                    + "defines: they get nothing. Declare it again, or move them with `gazette subscribers update EMAIL --leave \(name)`")
        }
        return (summaries, warnings)
    }

    public func show(name: String, environment: AppEnvironment) throws -> Summary {
        guard let entry = catalog.entry(named: name) else {
            throw ConfigError.unknownList(name: name, known: catalog.lists.map(\.name), file: config.file)
        }
        let counts = try environment.database.subscriberCounts(AppDatabase.SubscriberFilter(listName: name))
        return Summary(list: entry.list, origin: entry.origin, members: counts)
    }
}
