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
        case failed(String)
    }

    public var source: String
    public var outcome: Outcome
}

/// Fetches every source and stores the articles not seen before.
///
/// Sources are fetched concurrently (a few at a time); one failing source is recorded and
/// reported, never stops the others, and never removes what is already stored.
public struct SourceFetch: Sendable {
    public var maxConcurrentFetches = 4

    public init() {}

    public func run(_ sources: [Source], environment: AppEnvironment) async throws -> [SourceFetchResult] {
        try environment.database.syncSources(sources)
        let fetcher = FeedFetcher(http: environment.http)
        var results: [SourceFetchResult] = []
        try await withThrowingTaskGroup(of: SourceFetchResult.self) { group in
            var pending = sources[...]
            func startNext() {
                guard let source = pending.popFirst() else { return }
                group.addTask { try await fetchOne(source, fetcher: fetcher, environment: environment) }
            }
            for _ in 0..<maxConcurrentFetches { startNext() }
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
        let outcome: FetchOutcome
        do {
            outcome = try await fetcher.fetch(source, state: state)
        } catch {
            let status: Int? = if case .httpStatus(let code, _) = error { code } else { nil }
            try database.recordFetchFailure(sourceName: source.name, error: error.description, status: status, at: environment.now())
            logger.error("\(source.name): \(error.description)")
            return SourceFetchResult(source: source.name, outcome: .failed(error.description))
        }
        switch outcome {
        case .notModified:
            try database.recordFetchNotModified(sourceName: source.name, at: environment.now())
            logger.info("\(source.name): not modified")
            return SourceFetchResult(source: source.name, outcome: .notModified)
        case .fetched(let feed, let validators, let status):
            let seenAt = environment.now()
            let articles = feed.items.compactMap { $0.article(sourceName: source.name, seenAt: seenAt) }
            // A source's first fetch is its archive: only the newest `backfill` items are news.
            var holding = Set<String>()
            if try !database.hasFetched(sourceName: source.name) {
                let newestFirst = articles.sorted { $0.displayTime > $1.displayTime }
                holding = Set(newestFirst.dropFirst(max(source.backfill, 0)).map(\.url))
            }
            let fresh = try database.insertNewArticles(articles, holding: holding)
            try database.recordFetchSuccess(sourceName: source.name, state: validators, status: status, at: seenAt)
            logger.info("\(source.name): \(feed.items.count) items, \(fresh.count) new")
            return SourceFetchResult(source: source.name, outcome: .fetched(items: feed.items.count, new: fresh.count))
        }
    }
}
