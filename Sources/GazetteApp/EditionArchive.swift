import DigestBuilding
import Foundation
import GazetteModel
import GazetteStore
import Mailing

/// The public archive: each list's sent editions, and each edition as a reader following
/// everything got it, rebuilt from the store with no reader's name, address or token in it.
public struct EditionArchive: Sendable {
    public var config: GazetteConfig

    public init(config: GazetteConfig) {
        self.config = config
    }

    /// An archived edition, rendered.
    public struct Page: Sendable {
        public var list: SubscriberList
        public var edition: AppDatabase.SentEdition
        public var subject: String
        /// The digest's HTML as the mail template draws it, with the archive's own footer.
        public var html: String
        public var articleCount: Int
        /// The most common article language, for the page's `lang`.
        public var language: String?
    }

    /// The archive's footer: where the reader's address and links stood, the list's title.
    static let footer = """
        <tr><td class="gz-pad" style="padding:28px 32px 28px 32px;font-family:Helvetica,Arial,sans-serif;font-size:12px;line-height:18px;color:#6b6760;">
          <div style="border-top:1px solid #e4e0d8;padding-top:14px;" class="gz-meta">
            An edition of {{list.title}} from the archive. {{generator}}
          </div>
        </td></tr>
        """

    /// The list's sent editions, newest first.
    /// - Throws: `ConfigError.unknownList`.
    public func editions(listName: String, environment: AppEnvironment) throws -> [AppDatabase.SentEdition] {
        _ = try config.list(named: listName)
        return try environment.database.sentEditions(listName: listName)
    }

    /// One edition rendered for the web, or nil when the list never sent it.
    public func page(listName: String, edition key: String, environment: AppEnvironment) throws -> Page? {
        let list = try config.list(named: listName)
        guard let edition = try environment.database.sentEditions(listName: listName).first(where: { $0.edition == key }) else {
            return nil
        }
        let window = DigestWindow(start: edition.windowStart, end: edition.windowEnd)
        let articles = try environment.database.articles(firstSeenIn: window)
        let pool = CandidatePool(articles: articles, window: window, rules: list.rules, now: edition.windowEnd)
        let reader = Subscriber(email: "", createdAt: edition.windowStart)
        let digest = DigestBuilder().build(
            pool: pool, list: list, subscriber: reader, subscription: Subscription(subscriberID: 0, listName: list.name))
        let model = DigestViewModel(
            digest: digest, date: edition.sentAt, timeZone: config.timeZone, links: DigestLinks(unsubscribeMailto: ""),
            strings: environment.templates.strings(for: list.language))
        let templates = try environment.templates.replacing("partials/footer.html", with: Self.footer)
        let rendered = try templates.render(model)
        return Page(
            list: list, edition: edition, subject: model.subject, html: rendered.html, articleCount: digest.articleCount,
            language: ReaderVocabulary.commonLanguage(of: articles))
    }
}
