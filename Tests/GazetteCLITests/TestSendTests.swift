import Foundation
import GazetteTestSupport
import Testing

/// `gazette send --to` (a test digest for the editor, outside the ledger) and
/// `gazette send --subscriber` (one subscriber's digest now, through the ledger).
@Suite struct TestSendTests {
    func outbox(_ folder: TemporaryDirectory) throws -> [URL] {
        let new = folder.url.appendingPathComponent("outbox/new")
        return try FileManager.default.contentsOfDirectory(at: new, includingPropertiesForKeys: nil).sorted { $0.path < $1.path }
    }

    @Test func aTestSendReachesTheEditorAndRecordsNothing() throws {
        let folder = try TemporaryDirectory("gazette-test-send")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url)
        try "email,name,tags\nreader@sample.test,Dana Reader,Turkey\n"
            .write(to: folder.url.appendingPathComponent("s.csv"), atomically: true, encoding: .utf8)
        #expect(try GazetteBinary.run(["subscribers", "import", "s.csv"], in: folder.url).status == 0)
        #expect(try GazetteBinary.run(["fetch"], in: folder.url).status == 0)

        let sent = try GazetteBinary.run(["send", "--to", "editor@newsroom.test", "--as", "reader@sample.test"], in: folder.url)
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(sent.stdout.contains("test digest sent to editor@newsroom.test"))
        let files = try outbox(folder)
        #expect(files.count == 1)
        let mail = try #require(try ParsedEmail.parse(files).first)
        #expect(mail.headers["To"] == "editor@newsroom.test")
        #expect(mail.headers["Subject"]?.hasPrefix("[test] ") == true, "\(mail.headers["Subject"] ?? "")")
        #expect(mail.defects.isEmpty)
        // Nothing in the ledger: the reader's real digest still goes out, whole.
        #expect(try CrashSafety.count("SELECT COUNT(*) FROM delivery", in: folder.path("gazette.sqlite")) == 0)
        // The test mail's unsubscribe token belongs to nobody: using it leaves the reader subscribed.
        let header = try #require(mail.headers["List-Unsubscribe"])
        let token = try #require(header.firstMatch(of: /unsubscribe%20([^>]+)>/)?.1)
        _ = try GazetteBinary.run(["subscribers", "unsubscribe", "--token", String(token)], in: folder.url)
        let show = try GazetteBinary.run(["subscribers", "show", "reader@sample.test"], in: folder.url)
        #expect(show.stdout.contains("active"), "\(show.stdout)")

        let real = try GazetteBinary.run(["send"], in: folder.url)
        #expect(real.status == 0, "\(real.stderr)")
        #expect(try outbox(folder).count == 2)
        #expect(try CrashSafety.count("SELECT COUNT(*) FROM delivery WHERE status = 'sent'", in: folder.path("gazette.sqlite")) == 1)

        // Without --as: the digest of a reader who follows everything.
        #expect(try GazetteBinary.run(["send", "--to", "editor@newsroom.test"], in: folder.url).status == 0)
        #expect(try outbox(folder).count == 3)
        let bad = try GazetteBinary.run(["send", "--to", "not-an-address"], in: folder.url)
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("no '@'"))
        #expect(try GazetteBinary.run(["send", "--as", "reader@sample.test"], in: folder.url).status == 64)
    }

    @Test func oneSubscribersDigestGoesOutAfterTheEditionWasHandled() throws {
        let folder = try TemporaryDirectory("gazette-send-one")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url)
        #expect(try GazetteBinary.run(["subscribers", "add", "early@sample.test"], in: folder.url).status == 0)
        #expect(try GazetteBinary.run(["run"], in: folder.url).status == 0)
        #expect(try outbox(folder).count == 1)
        // Added after today's edition went out: a plain send leaves them for the next edition.
        #expect(try GazetteBinary.run(["subscribers", "add", "late@sample.test"], in: folder.url).status == 0)
        #expect(try GazetteBinary.run(["send"], in: folder.url).status == 0)
        #expect(try outbox(folder).count == 1)

        let one = try GazetteBinary.run(["send", "--subscriber", "late@sample.test"], in: folder.url)
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout.contains("digests sent: 1"), "\(one.stdout)")
        let files = try outbox(folder)
        #expect(files.count == 2)
        #expect(try ParsedEmail.parse(files).contains { $0.headers["To"] == "late@sample.test" })
        // Through the ledger: asked again, nothing more goes out.
        let again = try GazetteBinary.run(["send", "--subscriber", "late@sample.test"], in: folder.url)
        #expect(again.stdout.contains("digests sent: 0, already sent: 1"), "\(again.stdout)")
        #expect(try outbox(folder).count == 2)
        #expect(try GazetteBinary.run(["send", "--subscriber", "nobody@sample.test"], in: folder.url).status == 67)
    }
}
