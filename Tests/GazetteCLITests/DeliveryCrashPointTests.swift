import Foundation
import GazetteTestSupport
import Testing

/// `gazette run` killed with SIGKILL at each moment of a delivery where dying means something
/// different, chosen exactly (no random timing): in the process by `GAZETTE_TEST_KILL_AT`, or
/// while the test SMTP server holds its reply to a whole message. Then a plain `gazette run`,
/// as the next cron run would be. Every time: no digest is lost (every subscriber has one
/// Message-ID, received at least once), and a second copy, always of the same bytes, arrives
/// only when the process died after the server had stored the message and before the ledger
/// committed its acceptance (ADR 0004). Acceptances are committed in batches, so the first
/// reader's, accepted but not yet committed when the run dies over the second, repeats too.
@Suite struct DeliveryCrashPointTests {
    /// Where the first run dies, and how many copies each reader must end up with.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// `GAZETTE_TEST_KILL_AT` for the first run; nil: killed while the server holds its reply.
        var killAt: String?
        var clientGone: LoopbackSMTPServer.ClientGone = .store
        /// Copies for the first reader, the second (the one whose delivery was under way) and the third.
        var copies: [Int]
        /// Resends the rerun's summary says may arrive twice.
        var mayRepeat: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "before the claim", killAt: "before-claim:2", copies: [2, 1, 1], mayRepeat: 1),
        Case(name: "after the claim, before sending", killAt: "after-claim:2", copies: [2, 1, 1], mayRepeat: 1),
        Case(name: "mid-DATA, before the hand-over is recorded", killAt: "mid-data:2", copies: [2, 1, 1], mayRepeat: 1),
        // The case that lost digests when a hand-over counted as delivered: the server never
        // got the final "." and discarded the message.
        Case(name: "after the hand-over is recorded, before the final dot", killAt: "handed-over:2", copies: [2, 1, 1], mayRepeat: 2),
        Case(name: "after the final dot, server stores it", killAt: nil, clientGone: .store, copies: [2, 2, 1], mayRepeat: 2),
        // A before-queue filter drops what a vanished client sent: the other way to lose it.
        Case(name: "after the final dot, server discards it", killAt: nil, clientGone: .discard, copies: [2, 1, 1], mayRepeat: 2),
        Case(name: "after the server's 250, before the ledger's commit", killAt: "after-reply:2", copies: [2, 2, 1], mayRepeat: 2),
        // The batch of acceptances lost whole: every message in it is sent again, none lost.
        Case(name: "with a batch of acceptances about to be committed", killAt: "before-sent-commit:1", copies: [2, 2, 2], mayRepeat: 3),
    ]

    @Test(arguments: cases)
    func aKilledRunLosesNothingAndRepeatsOnlyTheSameMessage(_ point: Case) throws {
        let smtp = try LoopbackSMTPServer(clientGone: point.clientGone)
        let folder = try TemporaryDirectory("gazette-crash-point")
        defer { folder.remove() }
        // One connection, so the readers go out one after the other and each moment is exact.
        try TestConfig.write(in: folder.url, delivery: TestConfig.smtp(smtp, extra: ["connections = 1"]))
        // Subscribers are mailed in address order: "b…" is the second, the one killed over
        // (in the process's count); the server holds its reply for any "hold-…" address.
        let victim = point.killAt == nil ? "hold-b-reader@sample.test" : "b-reader@sample.test"
        let readers = ["a-reader@sample.test", victim, "c-reader@sample.test"]
        try ("email\n" + readers.joined(separator: "\n") + "\n")
            .write(to: folder.url.appendingPathComponent("subscribers.csv"), atomically: true, encoding: .utf8)
        #expect(try GazetteBinary.run(["subscribers", "import", "subscribers.csv"], in: folder.url).status == 0)

        if let killAt = point.killAt {
            let first = try GazetteBinary.run(["run"], in: folder.url, environment: ["GAZETTE_TEST_KILL_AT": killAt])
            #expect(first.killed && first.status == SIGKILL, "the run should have been killed at \(killAt): \(first.stderr)")
        } else {
            let first = try GazetteBinary.start(["run"], in: folder.url)
            // The server holds its reply for 60 s once it has the whole message: wait for that, then kill.
            let deadline = ContinuousClock.now + .seconds(60)
            while try !smtp.holding().contains(victim), first.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
            #expect(first.isRunning, "the run should be waiting for the server's reply")
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
        }
        #expect(try CrashSafety.sqlite("PRAGMA integrity_check", folder.path("gazette.sqlite")) == "ok")

        let rerun = try GazetteBinary.run(["run"], in: folder.url)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.contains("may arrive twice): \(point.mayRepeat)"), "\(rerun.stdout)")

        let accepted = try smtp.accepted()
        for (reader, expected) in zip(readers, point.copies) {
            let ids = accepted.filter { $0.to.contains(reader) }.map(\.messageID)
            #expect(ids.count == expected, "\(reader) got \(ids.count) copies, expected \(expected)")
            #expect(Set(ids).count == 1, "\(reader) got different messages: \(ids)")
        }
        #expect(try CrashSafety.count("SELECT COUNT(*) FROM delivery WHERE status = 'sent'", in: folder.path("gazette.sqlite")) == 3)
        // A second copy is the first one's bytes: same Message-ID, date, boundary and body.
        let files = try smtp.messageFiles().map { try Data(contentsOf: $0) }
        for (reader, expected) in zip(readers, point.copies) {
            let copies = files.filter { String(decoding: $0, as: UTF8.self).contains("To: \(reader)") || String(decoding: $0, as: UTF8.self).contains("<\(reader)>") }
            #expect(copies.count == expected)
            #expect(Set(copies).count == 1, "the copies to \(reader) differ")
        }
        // A third run sends nothing more.
        let third = try GazetteBinary.run(["run"], in: folder.url)
        #expect(third.status == 0)
        #expect(try smtp.accepted().count == accepted.count)
    }
}
