import FeedFetching
import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Mailing
import Testing

/// Fetching sources into a real SQLite file from a real HTTP server on 127.0.0.1: what is
/// remembered between runs (validators, moves, pauses) and what each run costs.
@Suite struct SourceFetchTests {
    final class Clock: @unchecked Sendable {
        var now = Date(timeIntervalSince1970: 1_795_676_400)
    }

    struct Setup {
        let folder: TemporaryDirectory
        let server: LoopbackHTTPServer
        let environment: AppEnvironment
        let clock: Clock
        var fetch = SourceFetch()
    }

    private func setUp() throws -> Setup {
        let folder = try TemporaryDirectory("gazette-fetch")
        let server = try LoopbackHTTPServer(serving: RepoPaths.sampleSite)
        let clock = Clock()
        let environment = AppEnvironment(
            database: try AppDatabase.open(path: folder.path("gazette.sqlite")), http: CurlHTTPClient(),
            transport: MaildirTransport(directory: folder.url.appendingPathComponent("outbox")), templates: try DigestTemplates.load(),
            now: { clock.now })
        var setup = Setup(folder: folder, server: server, environment: environment, clock: clock)
        setup.fetch.settings.hostGap = .zero
        return setup
    }

    @Test func aSecondRunOfUnchangedSourcesCostsOneConditionalRequestEach() async throws {
        let setup = try setUp()
        defer { setup.folder.remove() }
        let sources = [
            Source(name: "news", feedURL: setup.server.url("feed.xml"), backfill: 100),
            Source(name: "opinions", feedURL: setup.server.url("opinions.atom"), backfill: 100),
        ]
        let first = try await setup.fetch.run(sources, environment: setup.environment)
        #expect(first.map(\.outcome) == [.fetched(items: 24, new: 24), .fetched(items: 8, new: 8)])
        setup.clock.now += 2 * 3600  // past the feed's <ttl>
        let second = try await setup.fetch.run(sources, environment: setup.environment)
        #expect(second.map(\.outcome) == [.notModified, .notModified])
        #expect(setup.server.requests().count == 4)
        let health = try setup.environment.database.sourceHealth()
        #expect(health.map(\.notModifiedCount) == [1, 1])
        #expect(try setup.environment.database.articleCount() == 32)
    }

    @Test func aFeedsTTLPausesItUntilDueAndForceIgnoresThePause() async throws {
        let setup = try setUp()
        defer { setup.folder.remove() }
        let sources = [Source(name: "news", feedURL: setup.server.url("feed.xml"))]  // <ttl>60</ttl>
        _ = try await setup.fetch.run(sources, environment: setup.environment)
        setup.clock.now += 30 * 60
        let early = try await setup.fetch.run(sources, environment: setup.environment)
        #expect(early.first?.outcome == .notDue(until: Date(timeIntervalSince1970: 1_795_676_400 + 3600)))
        #expect(setup.server.requests().count == 1)
        let forced = try await SourceFetch(settings: setup.fetch.settings, ignoreSchedule: true).run(sources, environment: setup.environment)
        #expect(forced.first?.outcome == .notModified)
        setup.clock.now += 31 * 60
        let due = try await setup.fetch.run(sources, environment: setup.environment)
        #expect(due.first?.outcome == .notModified)
        #expect(setup.server.requests().count == 3)
    }

    @Test func aPermanentMoveIsRememberedAndReported() async throws {
        let setup = try setUp()
        defer { setup.folder.remove() }
        let target = setup.server.url("opinions.atom")
        let sources = [Source(name: "opinions", feedURL: setup.server.url("redirect?to=\(target)&code=301"), backfill: 100)]
        let first = try await setup.fetch.run(sources, environment: setup.environment)
        #expect(first.first?.warnings.first?.contains("moved permanently to \(target)") == true)
        #expect(try setup.environment.database.sourceState(named: "opinions").movedTo == target)
        _ = try await setup.fetch.run(sources, environment: setup.environment)
        // The second run went straight to the new address: one redirect in all.
        #expect(setup.server.requests().filter { $0.hasPrefix("/redirect") }.count == 1)
        #expect(setup.server.requests().filter { $0 == "/opinions.atom" }.count == 2)
        // Changing the config forgets the move.
        let moved = [Source(name: "opinions", feedURL: setup.server.url("feed.xml"))]
        try setup.environment.database.syncSources(moved)
        #expect(try setup.environment.database.sourceState(named: "opinions").movedTo == nil)
    }

    @Test func retryAfterIsKeptAndOtherSourcesAreUnaffected() async throws {
        let setup = try setUp()
        defer { setup.folder.remove() }
        let sources = [
            Source(name: "busy", feedURL: setup.server.url("status/429?retry-after=600")),
            Source(name: "gone", feedURL: setup.server.url("status/410")),
            Source(name: "news", feedURL: setup.server.url("feed.xml"), backfill: 100),
        ]
        let results = try await setup.fetch.run(sources, environment: setup.environment)
        #expect(results.map(\.source) == ["busy", "gone", "news"])
        guard case .failed(let busy) = results[0].outcome, case .failed(let gone) = results[1].outcome else {
            Issue.record("expected two failures, got \(results)")
            return
        }
        #expect(busy.contains("HTTP 429") && busy.contains("600 s"))
        #expect(gone.contains("HTTP 410") && gone.contains("remove the source"))
        #expect(results[2].outcome == .fetched(items: 24, new: 24))
        let health = try setup.environment.database.sourceHealth()
        #expect(health.first { $0.source.name == "busy" }?.nextFetchAt == setup.clock.now.addingTimeInterval(600))
        #expect(health.first { $0.source.name == "gone" }?.lastStatus == 410)
        setup.clock.now += 60
        let again = try await setup.fetch.run(sources, environment: setup.environment)
        #expect(again[0].outcome == .notDue(until: Date(timeIntervalSince1970: 1_795_676_400 + 600)))
    }
}
