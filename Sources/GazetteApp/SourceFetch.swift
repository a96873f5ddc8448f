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

    public init(settings: FetchSettings = FetchSettings(), ignoreSchedule: Bool = false) {
        self.settings = settings
        self.ignoreSchedule = ignoreSchedule
    }

    public func run(_ sources: [Source], environment: AppEnvironment) async throws -> [SourceFetchResult] {
        try environment.database.syncSources(sources)
        let fetcher = FeedFetcher(http: environment.http, settings: settings, now: environment.now)
        var results: [SourceFetchResult] = []
        try await withThrowingTaskGroup(of: SourceFetchResult.self) { group in
            var pending = sources[...]
            func startNext() {
                guard let source = pending.popFirst() else { return }
                group.addTask { try await fetchOne(source, fetcher: fetcher, environment: environment) }
            }
            for _ in 0..<max(1, settings.concurrency) { startNext() }
            environment.progress(ProgressUpdate(phase: "Fetching", done: 0, total: sources.count))
            while let result = try await group.next() {
                results.append(result)
                environment.progress(ProgressUpdate(phase: "Fetching", done: results.count, total: sources.count, item: result.source))
                startNext()
            }
        }
        return results.sorted { $0.source < $1.source }
    }

    private func fetchOne(_ source: Source, fetcher: FeedFetcher, environment: AppEnvironment) async throws -> SourceFetchResult {
        let database = environment.database
        let logger = environment.logger
        let state = try database.sourceState(named: source.name)
        if !ignoreSchedule, let notBefore = state.nextFetchAt, notBefore > environment.now() {
            logger.info("\(source.name): not due before \(notBefore.formatted(.iso8601)) (as the server asked)")
            return SourceFetchResult(source: source.name, outcome: .notDue(until: notBefore))
        }
        let url = state.movedTo ?? source.feedURL
        let outcome: FetchOutcome
        do {
            outcome = try await fetcher.fetch(url, state: state)
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
            try database.recordFetchFailure(
                sourceName: source.name, error: error.description, status: status, retryAfter: retryAt, at: environment.now())
            logger.error("\(source.name): \(error.description)")
            return SourceFetchResult(source: source.name, outcome: .failed(error.description))
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
            try database.recordFetchNotModified(sourceName: source.name, state: remembered, at: environment.now())
            logger.info("\(source.name): not modified")
            for notice in notices { logger.warning("\(source.name): \(notice)") }
            return SourceFetchResult(source: source.name, outcome: .notModified, warnings: notices)
        case .fetched(let feed, _):
            let seenAt = environment.now()
            let articles = feed.articles(sourceName: source.name, seenAt: seenAt, feedURL: url)
            // A source's first fetch is its archive: only the newest `backfill` items are news.
            var holding = Set<String>()
            if try !database.hasFetched(sourceName: source.name) {
                let newestFirst = articles.sorted { $0.displayTime > $1.displayTime }
                holding = Set(newestFirst.dropFirst(max(source.backfill, 0)).map(\.url))
            }
            let fresh = try database.insertNewArticles(articles, holding: holding)
            try database.recordFetchSuccess(sourceName: source.name, state: remembered, status: info.status, at: seenAt)
            for warning in notices + feed.warnings { logger.warning("\(source.name): \(warning)") }
            logger.info("\(source.name): \(feed.items.count) items, \(fresh.count) new")
            return SourceFetchResult(
                source: source.name, outcome: .fetched(items: feed.items.count, new: fresh.count), warnings: notices + feed.warnings)
        }
    }
}
