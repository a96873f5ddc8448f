import Foundation
import GazetteTestSupport
import Testing

/// The `gazette` executable end to end: exit codes, one-line errors, the demo's flow.
@Suite struct GazetteBinaryTests {
    private func sampleConfig(in folder: TemporaryDirectory) throws {
        try TestConfig.write(in: folder.url, top: ["database = \"gazette.sqlite\"", "timezone = \"Asia/Jerusalem\""])
    }

    @Test func theDemoFlowSendsOneMessagePerSubscriberAndNoSecondSet() throws {
        let folder = try TemporaryDirectory("gazette-cli")
        defer { folder.remove() }
        try sampleConfig(in: folder)
        let imported = try GazetteBinary.run(["subscribers", "import", RepoPaths.sampleSubscribers.path], in: folder.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("4 added"))

        #expect(try GazetteBinary.run(["fetch"], in: folder.url).status == 0)
        let explained = try GazetteBinary.run(["preview", "--explain", "--subscriber", "turkey-watch@gazette.test"], in: folder.url)
        #expect(explained.status == 0)
        #expect(explained.stdout.contains("Why each article is in or out of daily for turkey-watch@gazette.test"))
        let lines = explained.stdout.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("  included") }.count >= 4)  // tagged Turkey or ISF
        #expect(lines.contains { $0.hasPrefix("  not followed") })

        let first = try GazetteBinary.run(["run"], in: folder.url)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("digests sent: 4"))
        let outbox = folder.url.appendingPathComponent("outbox/new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outbox.path).count == 4)

        let second = try GazetteBinary.run(["run"], in: folder.url)
        #expect(second.status == 0)
        #expect(second.stdout.contains("digests sent: 0"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: outbox.path).count == 4)

        let preview = try GazetteBinary.run(["preview"], in: folder.url)
        #expect(preview.status == 0)
        #expect(preview.stdout.contains("NEWS > MIDDLE EAST"))
        #expect(!preview.stdout.contains("\u{1B}["))  // a pipe gets no colour
        let text = try GazetteBinary.run(["preview", "--format", "text"], in: folder.url)
        #expect(text.stdout.contains("== News > Middle East"))
        #expect(text.stdout.contains("Tags: "))

        // Everything already reached this subscriber: the next digest would be empty.
        let perSubscriber = try GazetteBinary.run(["preview", "--subscriber", "mideast@gazette.test"], in: folder.url)
        #expect(perSubscriber.stdout.contains("nothing new since"))
        let diff = try GazetteBinary.run(["preview", "--diff", "--subscriber", "mideast@gazette.test"], in: folder.url)
        #expect(diff.stdout.contains("Since the last digest that reached mideast@gazette.test"))
        #expect(diff.stdout.contains("nothing new"))
        // Tomorrow morning, as --date sees it, is still empty: no new articles were fetched.
        let tomorrow = try GazetteBinary.run(["preview", "--date", "2099-01-01", "--format", "text"], in: folder.url)
        #expect(tomorrow.status == 0, "\(tomorrow.stderr)")
        let html = folder.url.appendingPathComponent("digest.html")
        #expect(try GazetteBinary.run(["preview", "--html", html.path], in: folder.url).status == 0)
        #expect(try String(contentsOf: html, encoding: .utf8).contains("<!DOCTYPE html>"))

    }

    @Test func sendRetriesRefusalsOnlyWhenAskedAndTemplatesCanBeOverridden() throws {
        let folder = try TemporaryDirectory("gazette-cli-send")
        defer { folder.remove() }
        let smtp = try LoopbackSMTPServer()
        try TestConfig.write(in: folder.url, sources: [TestConfig.sampleFeeds[0]], delivery: TestConfig.smtp(smtp))
        for email in ["ok@sample.test", "reject-me@sample.test"] {
            #expect(try GazetteBinary.run(["subscribers", "add", email], in: folder.url).status == 0)
        }
        let templates = folder.url.appendingPathComponent("mine/partials")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try "{{%CONTENT_TYPE: TEXT}}\n-- \nA footer of our own.\n".write(
            to: templates.appendingPathComponent("footer.txt.mustache"), atomically: true, encoding: .utf8)

        let run = try GazetteBinary.run(["run", "--templates", "mine"], in: folder.url)
        #expect(run.status == 3)
        #expect(run.stderr.contains("daily → reject-me@sample.test: mail: the SMTP server refused reject-me@sample.test with 550"))
        let accepted = try ParsedEmail.parse(try smtp.messageFiles())
        #expect(accepted.count == 1)
        #expect(accepted.first?.parts.first?.body.contains("A footer of our own.") == true)

        let send = try GazetteBinary.run(["send"], in: folder.url)
        #expect(send.status == 0, "a refusal is reported once, not on every send")
        #expect(try smtp.accepted().count == 1)

        let resend = try GazetteBinary.run(["send", "--resend-failed"], in: folder.url)
        #expect(resend.status == 1, "every delivery it tried failed")
        #expect(resend.stderr.contains("550"))
        // Two refusals reach the default bounce limit.
        let bounced = try GazetteBinary.run(["subscribers", "list", "--status", "bounced"], in: folder.url)
        #expect(bounced.stdout.contains("reject-me@sample.test  -     bounced"))
        #expect(bounced.stdout.contains("1 subscriber: 1 bounced"))
    }

    @Test func aMissingConfigIsOneLineAndExitCode78() throws {
        let folder = try TemporaryDirectory("gazette-cli")
        defer { folder.remove() }
        let result = try GazetteBinary.run(["run"], in: folder.url)
        #expect(result.status == 78)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("gazette.toml does not exist"))
        #expect(result.stderr.contains("gazette init"))
    }

    @Test func aBadConfigNamesFileLineAndKey() throws {
        let folder = try TemporaryDirectory("gazette-cli")
        defer { folder.remove() }
        try "[[lists]]\nname = \"daily\"\ntitle = \"T\"\nsender_name = \"S\"\nsender_address = \"nobody\"\n"
            .write(to: folder.url.appendingPathComponent("custom.toml"), atomically: true, encoding: .utf8)
        let result = try GazetteBinary.run(["fetch"], in: folder.url, environment: ["GAZETTE_CONFIG": "custom.toml"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("custom.toml, line 5, key lists[0].sender_address"))
    }

    /// Every problem at once, a line each, so one edit fixes them all; JSON logs carry them too.
    @Test func aConfigWithSeveralProblemsNamesThemAllInOneRun() throws {
        let folder = try TemporaryDirectory("gazette-cli")
        defer { folder.remove() }
        try "timezone = \"Mars/Olympus\"\n[delivry]\nsmtp = \"x\"\n[[lists]]\nname = \"daily\"\ntitle = \"T\"\nsender_address = \"nobody\"\n"
            .write(to: folder.url.appendingPathComponent("gazette.toml"), atomically: true, encoding: .utf8)
        let result = try GazetteBinary.run(["run"], in: folder.url)
        #expect(result.status == 78)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        try #require(lines.count == 3, "\(lines)")
        #expect(lines[0].contains("line 1, key timezone"))
        #expect(lines[1].contains("line 2, key delivry: unknown key; did you mean delivery?"))
        #expect(lines[2].contains("line 7, key lists[0].sender_address"))
    }

    @Test func initWritesAStarterConfigThatTheOtherCommandsAccept() throws {
        let folder = try TemporaryDirectory("gazette-cli")
        defer { folder.remove() }
        #expect(try GazetteBinary.run(["init"], in: folder.url).status == 0)
        #expect(try GazetteBinary.run(["init"], in: folder.url).status == 5)  // never overwrites silently; README: 5
        let added = try GazetteBinary.run(["subscribers", "add", "Dana+news@Sample.test", "--name", "Dana", "--tags", "Turkey;ISF"], in: folder.url)
        #expect(added.status == 0, "\(added.stderr)")
        let duplicate = try GazetteBinary.run(["subscribers", "add", "dana+news@sample.test"], in: folder.url)
        #expect(duplicate.status == 5)
        #expect(duplicate.stderr.contains("already a subscriber"))
        let bad = try GazetteBinary.run(["subscribers", "add", "not-an-address"], in: folder.url)
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("no '@'"))
        let listed = try GazetteBinary.run(["subscribers", "list"], in: folder.url)
        #expect(listed.stdout.contains("Dana+news@Sample.test  Dana  active        daily (#Turkey, #ISF)"))
        #expect(try GazetteBinary.run(["subscribers", "remove", "DANA+NEWS@sample.test", "--yes"], in: folder.url).status == 0)
        #expect(try GazetteBinary.run(["subscribers", "list"], in: folder.url).stdout.contains("no subscribers"))
    }

    @Test func anUnreachableFeedFailsTheRunWithOneLine() throws {
        let folder = try TemporaryDirectory("gazette-cli")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url, sources: [("one", "http://127.0.0.1:1/feed.xml")])
        let result = try GazetteBinary.run(["fetch"], in: folder.url)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("gazette: fetch: http://127.0.0.1:1/feed.xml:"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        // Its health is kept, and after three failures in a row `gazette sources` flags it.
        _ = try GazetteBinary.run(["fetch"], in: folder.url)
        _ = try GazetteBinary.run(["fetch"], in: folder.url)
        let sources = try GazetteBinary.run(["sources"], in: folder.url)
        #expect(sources.stdout.hasPrefix("SOURCE"))
        let row = try #require(sources.stdout.split(separator: "\n").first { $0.hasPrefix("one ") })
        #expect(row.contains("never"))
        #expect(row.contains("  3  "))
        #expect(sources.stderr.contains("one has failed 3 times in a row"))
        // The run summary flags it too.
        let run = try GazetteBinary.run(["run"], in: folder.url)
        #expect(run.stderr.contains("one has failed 4 runs in a row and never worked"))
    }
}

/// The daily run as cron starts it: one at a time, a dry run that changes nothing, and a new
/// source that does not flood anybody with its archive.
@Suite struct CronSafetyTests {
    @Test func aSecondRunWhileTheFirstHoldsTheLockExitsWith75() throws {
        let folder = try TemporaryDirectory("gazette-lock")
        defer { folder.remove() }
        let smtp = try LoopbackSMTPServer()
        // A slow recipient keeps the first run busy: every message is deferred, then retried after 2 s.
        try TestConfig.write(in: folder.url, sources: [TestConfig.sampleFeeds[0]], delivery: TestConfig.smtp(smtp, retryDelays: "[2]"))
        #expect(try GazetteBinary.run(["subscribers", "add", "busy-1@sample.test"], in: folder.url).status == 0)
        let first = try GazetteBinary.start(["run"], in: folder.url)
        // Wait until the first run holds the lock (its note is in the lock file).
        let lockFile = folder.path("gazette.sqlite.lock")
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, !((try? String(contentsOfFile: lockFile, encoding: .utf8)) ?? "").contains("gazette run") { usleep(20_000) }
        let second = try GazetteBinary.run(["run"], in: folder.url)
        #expect(second.status == 75)
        #expect(second.stderr.contains("another gazette run holds"))
        #expect(second.stderr.contains("pid \(first.processIdentifier), gazette run"))
        // Reading never waits for the lock.
        #expect(try GazetteBinary.run(["preview", "--format", "text"], in: folder.url).status == 0)
        first.waitUntilExit()
        #expect(first.terminationStatus == 3)  // the busy recipient stayed deferred
        // Once the first run is over, the lock is free again.
        #expect(try GazetteBinary.run(["fetch"], in: folder.url).status == 0)
    }

    @Test func jsonLogsAreOneObjectALine() throws {
        let folder = try TemporaryDirectory("gazette-json")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url)
        #expect(try GazetteBinary.run(["subscribers", "add", "dana@sample.test"], in: folder.url).status == 0)
        let run = try GazetteBinary.run(["run", "--log-format", "json"], in: folder.url)
        #expect(run.status == 0)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count >= 3)
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects.allSatisfy { $0["level"] is String && $0["time"] is String && $0["message"] is String })
        #expect(objects.contains { ($0["message"] as? String)?.hasPrefix("news: 24 items") == true })
        #expect(objects.contains { $0["sent"] as? Int == 1 }, "counts are numbers (issue #17)")
    }

    @Test func aDryRunLeavesTheDatabaseByteIdentical() throws {
        let folder = try TemporaryDirectory("gazette-dry")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url)
        #expect(try GazetteBinary.run(["subscribers", "import", RepoPaths.sampleSubscribers.path], in: folder.url).status == 0)
        // Settle the file (no pending WAL) before taking its fingerprint.
        _ = try CrashSafety.sqlite("PRAGMA wal_checkpoint(TRUNCATE)", folder.path("gazette.sqlite"))
        let before = try Data(contentsOf: folder.url.appendingPathComponent("gazette.sqlite"))
        let dry = try GazetteBinary.run(["run", "--dry-run"], in: folder.url)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("digests that would be sent: 4"))
        #expect(dry.stdout.contains("dry run: nothing was sent"))
        _ = try CrashSafety.sqlite("PRAGMA wal_checkpoint(TRUNCATE)", folder.path("gazette.sqlite"))
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("gazette.sqlite")) == before)
        #expect(!FileManager.default.fileExists(atPath: folder.path("outbox/new")))
        // The real run afterwards still has everything to send.
        #expect(try GazetteBinary.run(["run"], in: folder.url).stdout.contains("digests sent: 4"))
    }

    @Test func aNewSourcesArchiveIsRecordedButNotMailed() throws {
        let folder = try TemporaryDirectory("gazette-backfill")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url, sources: [TestConfig.sampleFeeds[0]])
        // Without backfill the first fetch is archive only; with backfill = 3, the newest three are news.
        let config = try String(contentsOfFile: folder.path("gazette.toml"), encoding: .utf8).replacingOccurrences(of: "backfill = 1000", with: "backfill = 3")
        try config.write(toFile: folder.path("gazette.toml"), atomically: true, encoding: .utf8)
        #expect(try GazetteBinary.run(["subscribers", "add", "dana@sample.test"], in: folder.url).status == 0)
        let run = try GazetteBinary.run(["run"], in: folder.url)
        #expect(run.stdout.contains("new articles: 3"))
        let sent = try ParsedEmail.parse(try FileManager.default.contentsOfDirectory(at: folder.url.appendingPathComponent("outbox/new"), includingPropertiesForKeys: nil))
        #expect(sent.first?.parts.first?.body.contains("3 new articles") == true)
        #expect(try CrashSafety.count("SELECT COUNT(*) FROM article", in: folder.path("gazette.sqlite")) == 24)
    }
}
