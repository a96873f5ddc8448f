import Foundation
import GazetteModel
import GazetteStore

/// Every list Gazette knows: those declared in `gazette.toml` and those made with
/// `gazette lists add` (stored in the database), reconciled by one rule.
///
/// The config is authoritative for the lists it declares; the database holds the others. A
/// name in both is used as the config declares it, and when the two definitions differ every
/// command warns, naming the fields, until they agree or the database copy is removed
/// (`gazette lists remove NAME`). See docs/decisions/0006-lists-config-and-database.md.
public struct ListCatalog: Sendable {
    public enum Origin: String, Sendable, Codable {
        case config
        case database
        /// Declared in the config and also stored in the database; the config's is used.
        case both
    }

    public struct Entry: Sendable {
        public var list: SubscriberList
        public var origin: Origin
        /// The fields where the database copy differs from the config (origin `both`).
        public var differences: [String]
    }

    public var entries: [Entry]

    /// The lists in effect: the config's, then the database's own.
    public var lists: [SubscriberList] { entries.map(\.list) }

    /// One line per disagreement between the config and the database.
    public var warnings: [String]

    public init(config: [SubscriberList], stored: [SubscriberList], file: String) {
        var entries: [Entry] = []
        var warnings: [String] = []
        let storedByName = Dictionary(stored.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for list in config {
            guard let copy = storedByName[list.name] else {
                entries.append(Entry(list: list, origin: .config, differences: []))
                continue
            }
            let differences = Self.differences(list, copy)
            entries.append(Entry(list: list, origin: .both, differences: differences))
            if !differences.isEmpty {
                warnings.append(
                    "list '\(list.name)' is declared in \(file) and was also added with `gazette lists add`, and they differ "
                        + "(\(differences.joined(separator: ", "))); \(file) wins. Make them agree, or drop the database copy "
                        + "with `gazette lists remove \(list.name)`")
            }
        }
        let configNames = Set(config.map(\.name))
        for list in stored where !configNames.contains(list.name) {
            entries.append(Entry(list: list, origin: .database, differences: []))
        }
        self.entries = entries
        self.warnings = warnings
    }

    /// The catalog of `config`'s lists and `database`'s.
    public static func load(config: GazetteConfig, database: AppDatabase) throws -> ListCatalog {
        ListCatalog(config: config.lists, stored: try database.storedLists(), file: config.file)
    }

    public func entry(named name: String) -> Entry? { entries.first { $0.list.name == name } }

    /// The fields the command line can set on which two definitions of a list differ.
    static func differences(_ a: SubscriberList, _ b: SubscriberList) -> [String] {
        var fields: [String] = []
        if a.title != b.title { fields.append("title") }
        if a.senderName != b.senderName { fields.append("sender_name") }
        if a.senderAddress != b.senderAddress { fields.append("sender_address") }
        if a.schedule != b.schedule { fields.append("schedule") }
        if a.rules.presetSections != b.rules.presetSections { fields.append("sections") }
        if a.rules.presetTags != b.rules.presetTags { fields.append("tags") }
        if a.rules.mutedSections != b.rules.mutedSections { fields.append("mute_sections") }
        if a.rules.mutedTags != b.rules.mutedTags { fields.append("mute_tags") }
        if a.doubleOptIn != b.doubleOptIn { fields.append("double_opt_in") }
        if a.confirmURLTemplate != b.confirmURLTemplate { fields.append("confirm_url") }
        return fields
    }
}

extension GazetteConfig {
    /// This config with the database's own lists added after its own: what `run`, `send`,
    /// `preview` and the subscriber commands work with. With `[web]`, each list's links point
    /// at `gazette serve` unless the list names endpoints of its own.
    public func including(_ catalog: ListCatalog) -> GazetteConfig {
        var config = self
        config.lists = catalog.lists.map { list in web.map { $0.linking(list) } ?? list }
        return config
    }
}
