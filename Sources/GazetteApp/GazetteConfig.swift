import FeedFetching
import FeedParsing
import Foundation
import GazetteModel
import Mailing

/// Everything `gazette.toml` says, paths resolved against the config file's folder.
public struct GazetteConfig: Sendable {
    /// The file this was read from, for messages.
    public var file: String
    public var databasePath: String
    /// The file holding the key that signs unsubscribe tokens (unless `GAZETTE_TOKEN_KEY` is
    /// set); created on first use. Defaults to `gazette.key` beside the database.
    public var tokenKeyFile: String
    /// A folder of templates that override the built-in ones, file by file.
    public var templatesFolder: String?
    /// The zone digests' dates and times are shown in.
    public var timeZone: TimeZone
    public var delivery: Delivery
    public var sources: [Source]
    /// Sources the config keeps but does not fetch (`enabled = false`; `gazette sources disable`).
    public var disabledSources: [Source] = []
    /// The folders sources were kept in (`folder = "News / World"`), by source name, for OPML.
    public var sourceFolders: [String: [String]] = [:]
    /// How politely and patiently sources are fetched (`[fetch]`).
    public var fetch = FetchSettings()
    /// Per-site extraction rules for article pages (`[[sites]]`).
    public var sites: [SiteRules] = []
    /// Section and tag names spelled one way (`[aliases]`).
    public var aliases = NameAliases()
    public var lists: [SubscriberList]

    /// How long to wait before each retry of a message the server deferred (4xx) within
    /// one run; what is still deferred after the last is retried on the next run.
    public var retryDelays: [Duration]
    /// Permanent refusals (5xx) after which a subscriber is marked bounced.
    public var bounceLimit: Int
    /// Articles older than this keep only what dedupe needs; ledger rows go (`gazette prune`).
    public var retentionDays: Int = 60
    /// Articles older than this are forgotten entirely.
    public var forgetDays: Int = 240
    /// The file the SMTP password was read from (`[delivery] password_file`), for `gazette doctor`.
    public var passwordFile: String?
    /// Who hears about sources that keep failing (`[report]`); nobody when nil.
    public var report: OperatorReportSettings?
    /// Returned mail: the VERP return path, the bounce mailbox and the bounce rules
    /// (`[delivery] return_path`, `[bounces]`).
    public var returnedMail = ReturnedMailSettings()
    /// The readers' web endpoint (`[web]`); when set, every list's links point there.
    public var web: WebSettings?

    /// A source failing this many runs in a row is flagged: `[report] after_failures`, else 3.
    public var failingThreshold: Int { report?.afterFailures ?? 3 }

    /// Where digests go: an SMTP server, the local MTA, or an outbox folder when neither is configured.
    public enum Delivery: Sendable, Hashable {
        case smtp(SMTPSettings)
        case sendmail(path: String)
        case outbox(folder: String)
    }

    public init(
        file: String, databasePath: String, tokenKeyFile: String? = nil, templatesFolder: String? = nil, timeZone: TimeZone = .current,
        delivery: Delivery, retryDelays: [Duration] = [.seconds(30), .seconds(120)], bounceLimit: Int = 2,
        sources: [Source], lists: [SubscriberList]
    ) {
        self.retryDelays = retryDelays
        self.bounceLimit = bounceLimit
        self.file = file
        self.databasePath = databasePath
        self.tokenKeyFile = tokenKeyFile ?? URL(fileURLWithPath: databasePath).deletingLastPathComponent()
            .appendingPathComponent("gazette.key").path
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
