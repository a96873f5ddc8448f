import Foundation
import GazetteTestSupport
import Testing

/// A run that explains itself: what it held back and why, what an interrupted run had
/// already sent, what a dry run would send, and nothing about sources from `send`.
@Suite struct RunSummaryTests {
    func folder(_ name: String, edit: (String) -> String = { $0 }, subscribers: [String] = ["a@sample.test"]) throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory(name)
        let file = try TestConfig.write(in: folder.url)
        try edit(try String(contentsOf: file, encoding: .utf8)).write(to: file, atomically: true, encoding: .utf8)
        try ("email\n" + subscribers.joined(separator: "\n") + "\n")
            .write(to: folder.url.appendingPathComponent("s.csv"), atomically: true, encoding: .utf8)
        #expect(try GazetteBinary.run(["subscribers", "import", "s.csv"], in: folder.url).status == 0)
        return folder
    }

    @Test func articlesStillSettlingAreNamedWithTheTimeTheyGoOut() throws {
        let folder = try folder("gazette-settling", edit: { $0.replacingOccurrences(of: "stabilize_minutes = 0", with: "stabilize_minutes = 30") })
        defer { folder.remove() }
        let run = try GazetteBinary.run(["run"], in: folder.url)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("digests sent: 0"))
        let line = try #require(run.stdout.split(separator: "\n").first { $0.contains("stabilize_minutes") }, "\(run.stdout)")
        #expect(line.hasPrefix("daily: 32 article(s) first seen less than stabilize_minutes ago wait for the next digest (the first from "))
    }

    @Test func aNewSourcesArchiveIsCountedAndExplained() throws {
        let folder = try folder("gazette-archive", edit: { $0.replacingOccurrences(of: "backfill = 1000", with: "backfill = 0") })
        defer { folder.remove() }
        let run = try GazetteBinary.run(["run"], in: folder.url)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("new articles: 0 (and 32 archived on new sources' first fetch: `backfill` mails none of them)"), "\(run.stdout)")
    }

    @Test func aDryRunSaysWouldAndSendSaysNothingOfSources() throws {
        let folder = try folder("gazette-dry-summary")
        defer { folder.remove() }
        let dry = try GazetteBinary.run(["run", "--dry-run"], in: folder.url)
        #expect(dry.stdout.contains("digests that would be sent: 1"), "\(dry.stdout)")
        #expect(!dry.stdout.contains("digests sent:"))
        #expect(try GazetteBinary.run(["fetch"], in: folder.url).status == 0)
        let send = try GazetteBinary.run(["send"], in: folder.url)
        #expect(send.status == 0, "\(send.stderr)")
        #expect(send.stdout.hasPrefix("digests sent: 1,"), "\(send.stdout)")
        #expect(!send.stdout.contains("sources:"))
    }

    /// A digest that went out earlier in the edition (an interrupted run's committed sends, or
    /// `send --subscriber`) is counted "already sent", not "nothing new". Driven through
    /// `send --subscriber` so the committed row does not depend on where a kill lands in the
    /// batched acceptance marks (ADR 0004 "Batches"); the kills are DeliveryCrashPointTests'.
    @Test func whatWentOutEarlierInTheEditionIsAlreadySentNotNothingNew() throws {
        let folder = try folder("gazette-already", subscribers: ["a@sample.test", "b@sample.test", "c@sample.test"])
        defer { folder.remove() }
        #expect(try GazetteBinary.run(["fetch"], in: folder.url).status == 0)
        let one = try GazetteBinary.run(["send", "--subscriber", "a@sample.test"], in: folder.url)
        #expect(one.status == 0, "\(one.stderr)")
        let rerun = try GazetteBinary.run(["run"], in: folder.url)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.contains("digests sent: 2, already sent: 1, nothing new: 0"), "\(rerun.stdout)")
    }

    @Test func afterAnInterruptedRunWhatWentOutUncommittedIsSentAgainNotNothingNew() throws {
        let folder = try folder("gazette-interrupted", subscribers: ["a@sample.test", "b@sample.test", "c@sample.test"])
        defer { folder.remove() }
        let killed = try GazetteBinary.run(["run"], in: folder.url, environment: ["GAZETTE_TEST_KILL_AT": "after-claim:2"])
        #expect(killed.killed)
        let rerun = try GazetteBinary.run(["run"], in: folder.url)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        // The first reader's acceptance was still in the uncommitted batch (ADR 0004, "Batches"):
        // it is sent again as the same message (the outbox replaces its file), never counted as
        // nothing new, and the claimed second reader's digest goes out too.
        #expect(rerun.stdout.contains("digests sent: 3, already sent: 0, nothing new: 0"), "\(rerun.stdout)")
        let third = try GazetteBinary.run(["run"], in: folder.url)
        #expect(third.stdout.contains("digests sent: 0,"), "\(third.stdout)")
    }
}
