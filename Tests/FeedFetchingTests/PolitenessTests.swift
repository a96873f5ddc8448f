import FeedFetching
import Foundation
import GazetteModel
import GazetteTestSupport
import Testing

/// Per-host limits (`HostGate` inside `CurlHTTPClient`) under load, against a real server on 127.0.0.1.
@Suite struct PolitenessTests {
    let server: LoopbackHTTPServer

    init() throws {
        server = try LoopbackHTTPServer(serving: RepoPaths.sampleSite)
    }

    private func fetcher(perHost: Int, gap: Duration) -> FeedFetcher {
        var settings = FetchSettings()
        settings.perHost = perHost
        settings.hostGap = gap
        return FeedFetcher(http: CurlHTTPClient(settings: settings), settings: settings)
    }

    /// Fetches every URL at once and returns how long each took.
    private func fetchAll(_ urls: [String], with fetcher: FeedFetcher) async throws -> [String: Duration] {
        try await withThrowingTaskGroup(of: (String, Duration).self) { group in
            for url in urls {
                group.addTask {
                    let started = ContinuousClock.now
                    _ = try await fetcher.fetch(url, state: SourceState())
                    return (url, ContinuousClock.now - started)
                }
            }
            var times: [String: Duration] = [:]
            for try await (url, time) in group { times[url] = time }
            return times
        }
    }

    @Test func atMostTwoRequestsToOneHostAtOnce() async throws {
        let urls = (0..<10).map { server.url("feed.xml?delay=0.3&n=\($0)") }
        _ = try await fetchAll(urls, with: fetcher(perHost: 2, gap: .zero))
        let stats = try await server.stats()
        #expect(stats.requests == 10)
        #expect(stats.maxInFlight == 2)
    }

    @Test func requestsToOneHostKeepTheirDistance() async throws {
        let urls = (0..<4).map { server.url("feed.xml?n=\($0)") }
        _ = try await fetchAll(urls, with: fetcher(perHost: 4, gap: .milliseconds(300)))
        let starts = server.requestTimes().map(\.time).sorted()
        #expect(starts.count == 4)
        for (earlier, later) in zip(starts, starts.dropFirst()) { #expect(later - earlier >= 0.2) }  // 300 ms asked; arrival jitter allowed
    }

    @Test func aSlowHostNeverHoldsUpAnother() async throws {
        // "localhost" and "127.0.0.1" are two hosts to the gate, one server to the test.
        let slow = (0..<3).map { server.url("feed.xml?delay=2&n=\($0)") }
        let fast = "http://localhost:\(server.port)/opinions.atom"
        _ = try await fetchAll(slow + [fast], with: fetcher(perHost: 1, gap: .zero))
        // One at a time to the slow host: each request arrives when the previous has ended.
        let arrivals = server.requestTimes()
        let slowStarts = arrivals.filter { $0.path.hasPrefix("/feed.xml") }.map(\.time).sorted()
        #expect(slowStarts.count == 3)
        for (earlier, later) in zip(slowStarts, slowStarts.dropFirst()) { #expect(later - earlier >= 1.9) }
        // The other host's request did not queue behind them: it arrived before the slow host's
        // last one could start (arrival order on the server, not a stopwatch, so a busy machine
        // cannot fake a pass or a failure).
        let fastArrival = try #require(arrivals.first { $0.path == "/opinions.atom" }).time
        #expect(fastArrival < slowStarts[2])
    }
}
