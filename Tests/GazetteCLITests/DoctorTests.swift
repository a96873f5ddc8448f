import Foundation
import GazetteTestSupport
import Testing

/// `gazette doctor` end to end: real config files, a real SQLite file, the loopback HTTP and
/// SMTP servers. It reports each check on one line, exits 4 on a failure, and never shows a secret.
@Suite struct DoctorTests {
    /// The lines with this status and exactly this subject.
    private func lines(_ output: String, _ status: String, _ subject: String) -> [Substring] {
        output.split(separator: "\n").filter { line in
            let rest = line.dropFirst(6)
            return line.hasPrefix(status) && rest[..<(rest.range(of: "  ")?.lowerBound ?? rest.endIndex)] == subject
        }
    }

    @Test func aHealthySetupPassesAfterItsFirstRunAndWarnsAboutOpenFiles() throws {
        let folder = try TemporaryDirectory("gazette-doctor")
        defer { folder.remove() }
        let site = try LoopbackHTTPServer(serving: RepoPaths.sampleSite)
        try TestConfig.write(in: folder.url, sources: [("news", site.url("feed.xml"))])
        let before = try GazetteBinary.run(["doctor"], in: folder.url)
        #expect(before.status == 0, "\(before.stdout)")
        #expect(!lines(before.stdout, "warn", "database").isEmpty, "no database yet")
        #expect(!FileManager.default.fileExists(atPath: folder.path("gazette.sqlite")), "doctor creates nothing")
        #expect(!FileManager.default.fileExists(atPath: folder.path("outbox")))

        #expect(try GazetteBinary.run(["subscribers", "add", "dana@sample.test"], in: folder.url).status == 0)
        #expect(try GazetteBinary.run(["run"], in: folder.url).status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: folder.path("gazette.sqlite"))
        let after = try GazetteBinary.run(["doctor"], in: folder.url)
        #expect(after.status == 0, "\(after.stdout)")
        #expect(lines(after.stdout, "ok", "database").count == 3)  // integrity, schema, WAL
        #expect(lines(after.stdout, "warn", "database").first?.contains("chmod 600") == true)
        #expect(lines(after.stdout, "warn", "config").first?.contains("mode 0644") == true)
        #expect(lines(after.stdout, "ok", "token key").first?.contains("mode 0600") == true)
        #expect(lines(after.stdout, "ok", "outbox").count == 1)
        // The run stored the feed's validators: doctor's GET is conditional.
        #expect(lines(after.stdout, "ok", "source news").first?.contains("HTTP 304") == true)
        #expect(after.stdout.hasSuffix("no failures, 2 warning(s) (10 checks)\n"))

        for file in ["gazette.toml", "gazette.sqlite"] {
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: folder.path(file))
        }
        let tidy = try GazetteBinary.run(["doctor"], in: folder.url)
        #expect(tidy.stdout.contains("all checks passed"), "\(tidy.stdout)")
        #expect(try CrashSafety.count("SELECT consecutiveFailures FROM source", in: folder.path("gazette.sqlite")) == 0)
    }

    @Test func eachBrokenPartIsOneFailLineSayingWhatToDoAndTheExitCodeIs4() throws {
        let folder = try TemporaryDirectory("gazette-doctor-broken")
        defer { folder.remove() }
        let site = try LoopbackHTTPServer(serving: RepoPaths.sampleSite)
        try TestConfig.write(
            in: folder.url, sources: [("news", site.url("feed.xml")), ("gone", site.url("missing.xml"))],
            delivery: ["sendmail = \"/nonexistent/sendmail\""],
            top: ["database = \"gazette.sqlite\"", "templates = \"mine\""])
        let templates = folder.url.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try "<p>{{#sections}}</p>\n".write(to: templates.appendingPathComponent("digest.html.mustache"), atomically: true, encoding: .utf8)
        try Data("not a database, just text".utf8).write(to: folder.url.appendingPathComponent("gazette.sqlite"))
        try "key\n".write(toFile: folder.path("gazette.key"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: folder.path("gazette.key"))

        let result = try GazetteBinary.run(["doctor"], in: folder.url)
        #expect(result.status == 4)
        #expect(lines(result.stdout, "FAIL", "templates").first?.contains("mine/digest.html.mustache, line") == true)
        #expect(lines(result.stdout, "FAIL", "database").first?.contains("restore it from a backup") == true)
        #expect(lines(result.stdout, "FAIL", "sendmail").first?.contains("/nonexistent/sendmail does not exist") == true)
        #expect(lines(result.stdout, "FAIL", "source gone").first?.contains("HTTP 404") == true)
        #expect(lines(result.stdout, "ok", "source news").first?.contains("HTTP 200, 24 items") == true)
        #expect(lines(result.stdout, "warn", "token key").first?.contains("readable by group and others (mode 0644)") == true)
        #expect(result.stdout.contains("4 check(s) failed"))
        #expect(result.stderr.isEmpty)
    }

    @Test func aBadConfigIsTheOnlyCheck() throws {
        let folder = try TemporaryDirectory("gazette-doctor-config")
        defer { folder.remove() }
        try "[delivery]\nsmtp = \"http://mail.test\"\n".write(to: folder.url.appendingPathComponent("gazette.toml"), atomically: true, encoding: .utf8)
        let result = try GazetteBinary.run(["doctor"], in: folder.url)
        #expect(result.status == 4)
        #expect(result.stdout.hasPrefix("FAIL  config  config: gazette.toml, line 2, key delivery.smtp:"))
    }

    @Test func theSMTPCheckLogsInOverStarttlsSendsNoMessageAndNeverShowsThePassword() throws {
        let folder = try TemporaryDirectory("gazette-doctor-smtp")
        defer { folder.remove() }
        let password = "pa55-Doctor-Secret"
        let server = try LoopbackSMTPServer(credentials: "digest:\(password)", tls: true)
        try TestConfig.write(
            in: folder.url, sources: [TestConfig.sampleFeeds[0]],
            delivery: ["smtp = \"\(server.url)\"", "username = \"digest\"", "ca_file = \"\(server.certificate.path)\""])
        let environment = ["GAZETTE_SMTP_PASSWORD": password, "GAZETTE_TOKEN_KEY": "token-Key-Secret"]
        let result = try GazetteBinary.run(["doctor", "--verbose"], in: folder.url, environment: environment)
        #expect(result.status == 0, "\(result.stdout)")
        let smtp = try #require(lines(result.stdout, "ok", "smtp").first)
        #expect(smtp.contains("EHLO, STARTTLS, EHLO, AUTH PLAIN, NOOP accepted; no message sent"))
        #expect(lines(result.stdout, "ok", "smtp password").first?.contains("GAZETTE_SMTP_PASSWORD") == true)
        #expect(lines(result.stdout, "ok", "token key").first?.contains("from GAZETTE_TOKEN_KEY") == true)
        let seen = try server.commands()
        #expect(seen.contains("STARTTLS") && seen.contains("AUTH PLAIN") && seen.contains("NOOP"))
        #expect(!seen.contains("MAIL") && !seen.contains("RCPT") && !seen.contains("DATA"))
        #expect(try server.accepted().isEmpty)

        // A wrong password fails the check; neither password shows, in any encoding.
        let wrong = try GazetteBinary.run(
            ["doctor"], in: folder.url, environment: environment.merging(["GAZETTE_SMTP_PASSWORD": "wrong-Secret-2"]) { $1 })
        #expect(wrong.status == 4)
        #expect(lines(wrong.stdout, "FAIL", "smtp").first?.contains("refused the login") == true)
        for output in [result.stdout, result.stderr, wrong.stdout, wrong.stderr] {
            for secret in [password, "wrong-Secret-2", "token-Key-Secret"] {
                #expect(!output.contains(secret))
                #expect(!output.contains(Data("\0digest\0\(secret)".utf8).base64EncodedString()))
                #expect(!output.contains(Data(secret.utf8).base64EncodedString()))
            }
        }
        #expect(try !server.commands().contains("MAIL"))
    }
}

/// `gazette run` mails the operator through the configured SMTP server when sources keep failing.
@Suite struct OperatorReportMailTests {
    @Test func theRunMailsTheOperatorOnceThroughSMTP() throws {
        let folder = try TemporaryDirectory("gazette-report-smtp")
        defer { folder.remove() }
        let smtp = try LoopbackSMTPServer()
        try TestConfig.write(
            in: folder.url, sources: [("one", "http://127.0.0.1:1/feed.xml")], delivery: TestConfig.smtp(smtp),
            top: ["database = \"gazette.sqlite\"", "[report]", "to = \"ops@sample.test\"", "from = \"robot@sample.test\"", "after_failures = 1"])
        let first = try GazetteBinary.run(["run"], in: folder.url)
        #expect(first.status == 1)
        #expect(first.stdout.contains("operator report sent to ops@sample.test: one"))
        #expect(first.stderr.contains("one has failed 1 runs in a row and never worked"))
        let accepted = try smtp.accepted()
        #expect(accepted.count == 1)
        #expect(accepted.first?.from == "robot@sample.test")
        #expect(accepted.first?.to == ["ops@sample.test"])
        let mail = try #require(try ParsedEmail.parse(try smtp.messageFiles()).first)
        #expect(mail.type == "text/plain")
        #expect(mail.parts.first?.body.contains("one: 1 failed runs in a row") == true)
        #expect(mail.parts.first?.body.contains("last error: fetch: http://127.0.0.1:1/feed.xml:") == true)

        let second = try GazetteBinary.run(["run"], in: folder.url)
        #expect(!second.stdout.contains("operator report"))
        #expect(try smtp.accepted().count == 1, "the same failure is not mailed twice in a day")
    }
}
