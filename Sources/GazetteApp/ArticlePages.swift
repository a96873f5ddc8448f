import FeedFetching
import FeedParsing
import Foundation
import GazetteModel
import GazetteStore
import Logging

/// Reads the pages of a source's new articles for what its feed left out (section path,
/// tags, byline, dates, lead image) and stores the completed articles.
///
/// Runs right after the source's fetch, under the same per-host limits, before the digest's
/// stabilization delay ends. Resumable: an article waits (`pageFetchedAt` nil) until its
/// page has been read, so a crash or a slow site costs a retry, never the article. A page
/// that fails for good is recorded and the article goes out with what the feed gave.
struct ArticlePages: Sendable {
    var fetcher: FeedFetcher
    var sites: [SiteRules]
    var aliases: NameAliases
    var concurrency: Int
    /// Transient failures (timeouts, 5xx, 429) are retried on later runs for this long.
    var retryFor: TimeInterval = 6 * 3600
    /// Articles first seen longer ago than this are no longer worth a page fetch.
    var lookback: TimeInterval = 2 * 86_400

    struct Result: Sendable {
        var read = 0
        var failed: [String] = []
    }

    func enrich(_ source: Source, environment: AppEnvironment) async throws -> Result {
        let now = environment.now()
        let waiting = try environment.database.articlesAwaitingPage(
            sourceName: source.name, firstSeenAfter: now.addingTimeInterval(-lookback))
        var result = Result()
        try await withThrowingTaskGroup(of: (Article, Outcome).self) { group in
            var pending = waiting[...]
            func startNext() {
                guard let article = pending.popFirst() else { return }
                group.addTask { (article, await read(article, source: source)) }
            }
            for _ in 0..<max(1, concurrency) { startNext() }
            while let (article, outcome) = try await group.next() {
                switch outcome {
                case .read(let metadata):
                    var merged = article.merging(metadata)
                    if let canonical = metadata.url, Self.sameSite(canonical, article.url) { merged.url = CanonicalURL.normalize(canonical) }
                    merged.section = aliases.section(merged.section)
                    merged.tags = aliases.tags(merged.tags)
                    try environment.database.recordPage(of: merged, error: nil, at: environment.now())
                    result.read += 1
                    for warning in metadata.warnings { environment.logger.warning("\(source.name): \(article.url): \(warning)") }
                case .failed(let error, let transient):
                    if transient, article.firstSeenAt > now.addingTimeInterval(-retryFor) {
                        environment.logger.info("\(source.name): \(error); the page is tried again on the next run")
                    } else {
                        try environment.database.recordPage(of: article, error: error, at: environment.now())
                    }
                    result.failed.append(error)
                }
                startNext()
            }
        }
        return result
    }

    enum Outcome: Sendable {
        case read(ArticleMetadata)
        case failed(String, transient: Bool)
    }

    private func read(_ article: Article, source: Source) async -> Outcome {
        let address = source.pageMirror.flatMap { Self.mirrored(article.url, in: $0) } ?? article.url
        do {
            switch try await fetcher.fetchDocument(address) {
            case .notModified:
                return .failed("page \(article.url): answered 304 to an unconditional request", transient: true)
            case .fetched(let data, let contentType, let finalURL, _):
                let base = address == article.url ? finalURL : article.url
                return .read(ArticleExtractor.extract(data, url: base, contentType: contentType, rules: SiteRules.matching(article.url, in: sites)))
            }
        } catch {
            return .failed("page " + error.description.replacingOccurrences(of: "fetch: ", with: ""), transient: Self.isTransient(error))
        }
    }

    /// A page's canonical URL is believed only on its own site: a page must not be able to
    /// send readers of a digest somewhere else. "www." and "amp." make no difference.
    static func sameSite(_ a: String, _ b: String) -> Bool {
        func host(_ url: String) -> String? {
            guard let components = URLComponents(string: url), ["http", "https"].contains(components.scheme?.lowercased() ?? "") else { return nil }
            var host = components.host?.lowercased() ?? ""
            for prefix in ["www.", "amp.", "m."] where host.hasPrefix(prefix) { host.removeFirst(prefix.count) }
            return host
        }
        guard let first = host(a), let second = host(b) else { return false }
        return first == second
    }

    static func isTransient(_ error: FetchError) -> Bool {
        switch error {
        case .timedOut, .stalled, .transport, .rateLimited: true
        case .httpStatus(let status, _): status >= 500
        default: false
        }
    }

    /// `https://site/2026/11/slug/` → `file:///FOLDER/2026/11/slug/index.html`.
    static func mirrored(_ url: String, in folder: String) -> String? {
        guard let components = URLComponents(string: url) else { return nil }
        var path = components.path
        if path.isEmpty || path.hasSuffix("/") { path += "index.html" }
        return URL(fileURLWithPath: folder).appendingPathComponent(String(path.drop { $0 == "/" })).absoluteString
    }
}
