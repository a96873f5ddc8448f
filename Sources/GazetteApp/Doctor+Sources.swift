import FeedFetching
import FeedParsing
import Foundation
import GazetteModel
import GazetteStore

extension Doctor {
    /// Each source fetched once, conditionally (the stored ETag and Last-Modified), a few at a
    /// time; nothing is stored, so the next run fetches as if doctor had never looked.
    func sources(_ config: GazetteConfig, inspection: DatabaseInspection?) async -> [DoctorCheck] {
        let fetcher = FeedFetcher(http: http, settings: config.fetch)
        let health = Dictionary((inspection?.sources ?? []).map { ($0.source.name, $0) }, uniquingKeysWith: { first, _ in first })
        let threshold = config.failingThreshold
        var results: [String: DoctorCheck] = [:]
        await withTaskGroup(of: (String, DoctorCheck).self) { group in
            var pending = config.sources[...]
            func startNext() {
                guard let source = pending.popFirst() else { return }
                let state = inspection?.sourceStates[source.name] ?? SourceState()
                let history = health[source.name]
                group.addTask { (source.name, await Self.check(source, state: state, history: history, threshold: threshold, fetcher: fetcher)) }
            }
            for _ in 0..<max(1, config.fetch.concurrency) { startNext() }
            while let (name, check) = await group.next() {
                results[name] = check
                startNext()
            }
        }
        if config.sources.isEmpty {
            return [DoctorCheck(.warn, "sources", "none configured; add a [[sources]] table with a name and a feed")]
        }
        return config.sources.compactMap { results[$0.name] }
    }

    private static func check(
        _ source: Source, state: SourceState, history: SourceHealth?, threshold: Int, fetcher: FeedFetcher
    ) async -> DoctorCheck {
        let subject = "source \(source.name)"
        let isFile = source.feedURL.lowercased().hasPrefix("file:")
        do {
            let found: String
            switch try await fetcher.fetch(state.movedTo ?? source.feedURL, state: state) {
            case .notModified: found = "HTTP 304, not modified since the last run"
            case .fetched(let feed, let info):
                found = (isFile ? "a file" : "HTTP \(info.status)") + ", \(feed.items.count) items"
                    + (feed.warnings.isEmpty ? "" : "; warning: " + feed.warnings.joined(separator: "; "))
            }
            var message = "\(source.feedURL): \(found)"
            if let movedTo = state.movedTo { message += "; it moved permanently to \(movedTo): update the config" }
            if let history, history.consecutiveFailures >= threshold {
                message += "; it failed the last \(history.consecutiveFailures) runs (\(history.lastError ?? "no error recorded"))"
            }
            return DoctorCheck(.ok, subject, message)
        } catch {
            return DoctorCheck(.fail, subject, error.description + "; check its feed address in the config, or remove the source")
        }
    }
}
