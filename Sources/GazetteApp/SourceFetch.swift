import FeedFetching
import FeedParsing
import Foundation
import GazetteModel
import GazetteStore
import Logging

/// What happened to one source in a fetch.
public struct SourceFetchResult: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        /// A fresh document with `items` entries, `new` of them unseen before.
        case fetched(items: Int, new: Int)
        case notModified
        /// Not asked this time: the server or the feed asked not to be fetched before `until`.
        case notDue(until: Date)
        case failed(String)
    }

    public var source: String
    public var outcome: Outcome
    /// Warnings about the document (recovered syntax, unreadable dates), one line each.
    public var warnings: [String] = []
    /// Article pages read for this source in this fetch, and the ones that failed.
    public var pagesRead = 0
    public var pageFailures: [String] = []
    /// Items of a source's first fetch recorded as its archive (seen, never mailed: `backfill`).
    public var archived = 0
}

/// Fetches every source and stores the articles not seen before.
///
/// Sources are fetched concurrently (`FetchSettings.concurrency` at a time, at most
/// `perHost` per web server); one failing source is recorded and reported, never stops the
/// others, and never removes what is already stored.
public struct SourceFetch: Sendable {
    public var settings: FetchSettings
    /// Fetch even sources whose server asked not to be asked yet (`gazette fetch --force`).
    public var ignoreSchedule = false
    /// Extraction rules for article pages, by site.
    public var sites: [SiteRules] = []
    public var aliases = NameAliases()

    public init(settings: FetchSettings = FetchSettings(), ignoreSchedule: Bool = false) {
        self.settings = settings
        self.ignoreSchedule = ignoreSchedule
    }

    /// The fetch the config describes: its `[fetch]` settings, `[[sites]]` and `[aliases]`.
    public init(config: GazetteConfig, ignoreSchedule: Bool = false) {
        self.init(settings: config.fetch, ignoreSchedule: ignoreSchedule)
        sites = config.sites
        aliases = config.aliases
    }

    public func run(_ sources: [Source], environment: AppEnvironment) async throws -> [SourceFetchResult] {
        try environment.database.syncSources(sources)
        let fetcher = FeedFetcher(http: environment.http, settings: settings, now: environment.now)
        // Every source's validators in one read, and its health row written with others' in
        // one transaction per `recordBatch` outcomes: a commit per source was most of a run
        // where every source answers 304. A health row is only written after the source's
        // articles are committed, so a crash can lose health, never articles.
        let states = try environment.database.sourceStates()
        var results: [SourceFetchResult] = []
        var pending: [FetchRecord] = []
        do {
            try await withThrowingTaskGroup(of: (SourceFetchResult, FetchRecord?).self) { group in
                var waiting = sources[...]
                func startNext() {
                    guard let source = waiting.popFirst() else { return }
                    let known = states[source.name]
                    group.addTask {
                        try await fetchOne(
                            source, state: known?.state ?? SourceState(), fetchedBefore: known?.fetched ?? false,
                            fetcher: fetcher, environment: environment)
                    }
                }
                for _ in 0..<max(1, settings.concurrency) { startNext() }
                environment.progress(ProgressUpdate(phase: "Fetching", done: 0, total: sources.count))
                while let next = try await group.next() {
                    let (result, record) = next
                    results.append(result)
                    if let record { pending.append(record) }
                    if pending.count >= Self.recordBatch {
                        try environment.database.recordFetches(pending)
                        pending.removeAll(keepingCapacity: true)
                    }
                    environment.progress(
                        ProgressUpdate(phase: "Fetching", done: results.count, total: sources.count, item: result.source))
                    startNext()
                }
            }
        } catch {
            try? environment.database.recordFetches(pending)
            throw error
        }
        try environment.database.recordFetches(pending)
        return results.sorted { $0.source < $1.source }
    }

    /// Health rows written per transaction.
    static let recordBatch = 100

    private func fetchOne(
        _ source: Source, state: SourceState, fetchedBefore: Bool, fetcher: FeedFetcher, environment: AppEnvironment
    ) async throws -> (SourceFetchResult, FetchRecord?) {
        let database = environment.database
        let logger = environment.logger
        if !ignoreSchedule, let notBefore = state.nextFetchAt, notBefore > environment.now() {
            logger.info("\(source.name): not due before \(notBefore.formatted(.iso8601)) (as the server asked)")
            return (SourceFetchResult(source: source.name, outcome: .notDue(until: notBefore)), nil)
        }
        let url = state.movedTo ?? source.feedURL
        var outcome: FetchOutcome
        do {
            outcome = try await fetchListing(source, url: url, state: state, fetcher: fetcher)
        } catch {
            let status: Int?
            var retryAt: Date?
            switch error {
            case .httpStatus(let code, _): status = code
            case .rateLimited(let code, _, let wait):
                status = code
                retryAt = wait.map { environment.now().addingTimeInterval(TimeInterval($0.components.seconds)) }
            default: status = nil
            }
            let record = FetchRecord.failure(
                sourceName: source.name, error: error.description, status: status, retryAfter: retryAt, at: environment.now())
            logger.error("\(source.name): \(error.description)")
            return (SourceFetchResult(source: source.name, outcome: .failed(error.description)), record)
        }
        var info = outcome.info
        var notices: [String] = []
        if let movedTo = info.movedTo, movedTo != url {
            notices.append("the feed moved permanently to \(movedTo); fetching it there from now on (update the config to match)")
        } else {
            info.movedTo = nil
        }
        var remembered = info.validators
        remembered.movedTo = info.movedTo
        remembered.nextFetchAt = info.nextFetchAfter
        switch outcome {
        case .notModified:
            let record = FetchRecord.notModified(sourceName: source.name, state: remembered, at: environment.now())
            logger.info("\(source.name): not modified")
            for notice in notices { logger.warning("\(source.name): \(notice)") }
            var result = SourceFetchResult(source: source.name, outcome: .notModified, warnings: notices)
            try await readPages(of: source, fetcher: fetcher, environment: environment, into: &result)
            return (result, record)
        case .fetched(let feed, _):
            let seenAt = environment.now()
            let (articles, futureDates) = FutureDates.clamp(
                feed.articles(sourceName: source.name, seenAt: seenAt, feedURL: url).map { article in
                    var renamed = article
                    renamed.section = aliases.section(article.section)
                    renamed.tags = aliases.tags(article.tags)
                    return renamed
                }, seenAt: seenAt)
            if let futureDates { notices.append(futureDates) }
            // A source's first fetch is its archive: only the newest `backfill` items are news.
            var holding = Set<String>()
            if !fetchedBefore {
                let newestFirst = articles.sorted { $0.displayTime > $1.displayTime }
                holding = Set(newestFirst.dropFirst(max(source.backfill, 0)).map(\.url))
            }
            let stored = try database.storeArticles(articles, holding: holding)
            let fresh = stored.new
            let record = FetchRecord.success(sourceName: source.name, state: remembered, status: info.status, at: seenAt)
            for warning in notices + feed.warnings { logger.warning("\(source.name): \(warning)") }
            logger.info("\(source.name): \(feed.items.count) items, \(fresh.count) new, \(stored.updated) updated, \(stored.merged) merged")
            var result = SourceFetchResult(
                source: source.name, outcome: .fetched(items: feed.items.count, new: fresh.count), warnings: notices + feed.warnings)
            if !fetchedBefore { result.archived = max(0, articles.count - fresh.count) }
            try await readPages(of: source, fetcher: fetcher, environment: environment, into: &result)
            return (result, record)
        }
    }

    /// For sources with `enrich`, the pages of the articles still waiting for theirs.
    private func readPages(
        of source: Source, fetcher: FeedFetcher, environment: AppEnvironment, into result: inout SourceFetchResult
    ) async throws {
        guard source.enrich else { return }
        let pages = ArticlePages(fetcher: fetcher, sites: sites, aliases: aliases, concurrency: max(1, settings.perHost))
        let read = try await pages.enrich(source, environment: environment)
        result.pagesRead = read.read
        result.pageFailures = read.failed
        if read.read + read.failed.count > 0 {
            environment.logger.info("\(source.name): \(read.read) article pages read, \(read.failed.count) failed")
        }
    }

    /// What the source lists: a parsed feed, or for sitemap and page sources, their links as
    /// a feed of untitled items (their pages supply the rest).
    private func fetchListing(_ source: Source, url: String, state: SourceState, fetcher: FeedFetcher) async throws(FetchError) -> FetchOutcome {
        switch source.kind {
        case .feed:
            return try await fetcher.fetch(url, state: state)
        case .sitemap:
            switch try await fetcher.fetchDocument(url, state: state, accept: "application/xml, text/xml;q=0.9, */*;q=0.5") {
            case .notModified(let info):
                return .notModified(info)
            case .fetched(let data, _, let finalURL, let info):
                var warnings: [String] = []
                var items = try sitemapItems(data, url: url, baseURL: finalURL, warnings: &warnings)
                if items == nil {
                    // A sitemap index: read its newest few sitemaps (news sitemaps are short).
                    items = []
                    for child in try childSitemaps(data, url: url, baseURL: finalURL).prefix(3) {
                        guard case .fetched(let childData, _, let childURL, _) = try await fetcher.fetchDocument(child) else { continue }
                        items! += try sitemapItems(childData, url: child, baseURL: childURL, warnings: &warnings) ?? []
                    }
                }
                return .fetched(ParsedFeed(format: .rss20, title: source.name, siteURL: source.siteURL, items: items ?? [], warnings: warnings), info)
            }
        case .page:
            switch try await fetcher.fetchDocument(url, state: state) {
            case .notModified(let info):
                return .notModified(info)
            case .fetched(let data, _, let finalURL, let info):
                do {
                    let links = try LinkListing.links(inHTML: data, baseURL: finalURL, selector: source.linkSelector ?? "a")
                    let items = links.map { FeedItem(link: $0, title: "") }
                    let warnings = links.isEmpty ? ["the links rule '\(source.linkSelector ?? "")' picked no article links on \(url)"] : []
                    return .fetched(ParsedFeed(format: .rss20, title: source.name, siteURL: source.siteURL, items: items, warnings: warnings), info)
                } catch {
                    throw .notAFeed(url: url, reason: error.description)
                }
            }
        }
    }

    /// A urlset's entries, or nil for a sitemap index.
    private func sitemapItems(_ data: Data, url: String, baseURL: String, warnings: inout [String]) throws(FetchError) -> [FeedItem]? {
        do {
            let (document, found) = try Sitemap.parse(data, baseURL: baseURL)
            warnings += found
            if case .urls(let items) = document { return items }
            return nil
        } catch {
            throw .notAFeed(url: url, reason: "not a sitemap: \(error.description)")
        }
    }

    private func childSitemaps(_ data: Data, url: String, baseURL: String) throws(FetchError) -> [String] {
        guard let (document, _) = try? Sitemap.parse(data, baseURL: baseURL), case .index(let children) = document else { return [] }
        return children
    }
}
