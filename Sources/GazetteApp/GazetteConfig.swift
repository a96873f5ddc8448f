import Foundation
import GazetteModel

/// Everything `gazette.toml` says, paths resolved against the config file's folder.
public struct GazetteConfig: Sendable {
    /// The file this was read from, for messages.
    public var file: String
    public var databasePath: String
    /// A folder of templates that override the built-in ones, file by file.
    public var templatesFolder: String?
    /// The zone digests' dates and times are shown in.
    public var timeZone: TimeZone
    public var delivery: Delivery
    public var sources: [Source]
    public var lists: [SubscriberList]

    /// Where digests go: an SMTP server, or an outbox folder when none is configured.
    public enum Delivery: Sendable, Hashable {
        case smtp(url: String)
        case outbox(folder: String)
    }

    public init(
        file: String, databasePath: String, templatesFolder: String? = nil, timeZone: TimeZone = .current,
        delivery: Delivery, sources: [Source], lists: [SubscriberList]
    ) {
        self.file = file
        self.databasePath = databasePath
        self.templatesFolder = templatesFolder
        self.timeZone = timeZone
        self.delivery = delivery
        self.sources = sources
        self.lists = lists
    }

    /// The list named `name`.
    /// - Throws: `ConfigError.unknownList` listing the lists there are.
    public func list(named name: String) throws(ConfigError) -> SubscriberList {
        guard let list = lists.first(where: { $0.name == name }) else {
            throw .unknownList(name: name, known: lists.map(\.name), file: file)
        }
        return list
    }
}
