import Foundation
import GazetteTestSupport
import Testing

/// `gazette bounces` as cron and Postfix run it: a real SMTP run with VERP return paths, then
/// the returned mail read from a Maildir, an mbox and standard input.
@Suite struct ReturnedMailCLITests {
    @Test func aVERPBounceFromARealSMTPRunIsReadOnceAndShownOnTheSubscriber() throws {
        let folder = try TemporaryDirectory("gazette-bounces")
        defer { folder.remove() }
        let smtp = try LoopbackSMTPServer()
        try TestConfig.write(
            in: folder.url, sources: [TestConfig.sampleFeeds[0]],
            delivery: TestConfig.smtp(smtp, extra: ["return_path = \"bounces@sample.israelhayom.test\""]),
            top: ["database = \"gazette.sqlite\"", "[bounces]", "maildir = \"returned\""])
        for email in ["dana@sample.test", "lee@sample.test"] {
            #expect(try GazetteBinary.run(["subscribers", "add", email], in: folder.url).status == 0)
        }
        let maildir = folder.url.appendingPathComponent("returned")
        for sub in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(at: maildir.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let run = try GazetteBinary.run(["run"], in: folder.url)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("returned mail: 0 hard, 0 soft"))

        // Each message left with its own signed envelope sender.
        let accepted = try smtp.accepted()
        #expect(accepted.count == 2)
        #expect(accepted.allSatisfy { $0.from.hasPrefix("bounces+b1.") && $0.from.hasSuffix("@sample.israelhayom.test") })
        #expect(Set(accepted.map(\.from)).count == 2)
        let dana = try #require(accepted.first { $0.to == ["dana@sample.test"] })
        let lee = try #require(accepted.first { $0.to == ["lee@sample.test"] })

        // Dana's relay forwarded to an address Gazette never heard of, and quotes nothing:
        // only the VERP address ties the bounce to her.
        try ReturnedMailSamples.dsn(to: dana.from, recipient: "dana-forward@elsewhere.test", messageID: "dsn-dana@relay.test")
            .write(to: maildir.appendingPathComponent("new/1796000000.M1P1.relay"), atomically: true, encoding: .utf8)
        try Data([0, 159, 146, 150]).write(to: maildir.appendingPathComponent("new/1796000001.M2P1.relay"))

        let dry = try GazetteBinary.run(["bounces", "returned", "--dry-run"], in: folder.url)
        #expect(dry.status == 3)
        #expect(dry.stdout.contains("hard dana@sample.test 5.1.1: bounced"))
        #expect(dry.stdout.contains("dry run: the database is unchanged and no message was moved"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: maildir.appendingPathComponent("new").path).count == 2)
        #expect(
            try GazetteBinary.run(["subscribers", "show", "dana@sample.test"], in: folder.url).stdout.contains(
                "status      active"))

        let real = try GazetteBinary.run(["bounces", "returned", "--json"], in: folder.url)
        #expect(real.status == 3, "one message could not be read")
        #expect(real.stderr.contains("skipped \(maildir.path)/new/1796000001.M2P1.relay: not a mail message"))
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(real.stdout.utf8)) as? [String: Any])
        #expect(summary["hard"] as? Int == 1)
        #expect((summary["unreadable"] as? [String])?.count == 1)

        let show = try GazetteBinary.run(["subscribers", "show", "dana@sample.test"], in: folder.url)
        #expect(show.stdout.contains("status      bounced"))
        #expect(
            show.stdout.contains(
                "hard 5.1.1 daily → bounced <\(dana.messageID.trimmingCharacters(in: CharacterSet(charactersIn: "<>")))>"))
        let showJSON = try GazetteBinary.run(["subscribers", "show", "dana@sample.test", "--json"], in: folder.url)
        #expect(showJSON.stdout.contains("\"kind\" : \"hard\""))

        // Read again: the handled message is in cur/ and is not counted twice.
        let again = try GazetteBinary.run(["bounces", "returned"], in: folder.url)
        #expect(again.stdout.contains("returned mail: 0 hard, 0 soft"))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: maildir.appendingPathComponent("cur").path).map {
                $0.hasSuffix(":2,S")
            } == [true])

        // Lee complains through a feedback loop; Postfix pipes the report to standard input.
        let complaint = Data(
            ReturnedMailSamples.complaint(
                about: lee.messageID.trimmingCharacters(in: CharacterSet(charactersIn: "<>")), recipient: "redacted@isp.test",
                messageID: "arf-lee@isp.test"
            ).utf8)
        let piped = try GazetteBinary.run(["bounces", "-"], in: folder.url, input: complaint)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout.contains("complaint lee@sample.test: unsubscribed"))
        let pipedAgain = try GazetteBinary.run(["bounces", "-"], in: folder.url, input: complaint)
        #expect(pipedAgain.stdout.contains("0 complaints, 0 unsubscribes, 0 auto-replies, 0 unknown; 1 already handled"))
        #expect(
            try GazetteBinary.run(["subscribers", "show", "lee@sample.test"], in: folder.url).stdout.contains(
                "status      unsubscribed"))

        // The next run reads the Maildir first and names the message it still cannot read.
        let next = try GazetteBinary.run(["run"], in: folder.url)
        #expect(next.status == 3)
        #expect(next.stderr.contains("skipped \(maildir.path)/new/1796000001.M2P1.relay"))
    }

    @Test func aMissingSourceIsExit66() throws {
        let folder = try TemporaryDirectory("gazette-bounces-missing")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url)
        let result = try GazetteBinary.run(["bounces", "nowhere"], in: folder.url)
        #expect(result.status == 66)
        #expect(result.stderr.contains("nowhere: no such Maildir folder or mbox file"))
    }
}
