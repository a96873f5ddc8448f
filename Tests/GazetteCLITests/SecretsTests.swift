import Foundation
import GazetteTestSupport
import Testing

/// The SMTP password and the token-signing key never appear in what Gazette prints or logs,
/// in success or failure, and a key file others can read is warned about on every command.
@Suite struct SecretsTests {
    static let password = "Pa55-w0rd-never-shown"
    static let key = "k3y-material-never-shown-0123456789abcdef"

    @Test func secretsStayOutOfLogsErrorsAndPreviews() throws {
        let folder = try TemporaryDirectory("gazette-secrets")
        defer { folder.remove() }
        let smtp = try LoopbackSMTPServer(credentials: "digest:\(Self.password)")
        try TestConfig.write(in: folder.url, delivery: TestConfig.smtp(smtp, extra: ["username = \"digest\""]))
        let environment = ["GAZETTE_SMTP_PASSWORD": Self.password, "GAZETTE_TOKEN_KEY": Self.key]
        var outputs: [String] = []
        func gazette(_ arguments: [String], environment: [String: String] = environment) throws -> GazetteBinary.Result {
            let result = try GazetteBinary.run(arguments, in: folder.url, environment: environment)
            outputs.append(result.stdout + result.stderr)
            return result
        }
        #expect(try gazette(["subscribers", "add", "reader@sample.test"]).status == 0)
        let run = try gazette(["run", "--verbose", "--log-format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        _ = try gazette(["preview", "--format", "eml"])
        _ = try gazette(["preview", "--explain"])
        _ = try gazette(["doctor"])
        // A wrong password fails with a line that names the login, not the password tried.
        var wrong = environment
        wrong["GAZETTE_SMTP_PASSWORD"] = Self.password + "-wrong"
        #expect(try gazette(["subscribers", "add", "newcomer@sample.test"]).status == 0)  // someone with a digest due
        let refused = try gazette(["run", "--force", "--verbose"], environment: wrong)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("login") || refused.stderr.contains("authentication") || refused.stderr.contains("AUTH"), "\(refused.stderr)")
        for output in outputs {
            for secret in [Self.password, Self.key, Data(Self.password.utf8).base64EncodedString(), Data("\u{0}digest\u{0}\(Self.password)".utf8).base64EncodedString()] {
                #expect(!output.contains(secret), "a secret leaked into: \(output.prefix(300))")
            }
        }
        // The messages themselves hold tokens signed with the key, never the key.
        let spool = try FileManager.default.contentsOfDirectory(at: smtp.spool, includingPropertiesForKeys: nil).filter { $0.pathExtension == "eml" }
        #expect(!spool.isEmpty)
        for file in spool { #expect(!(try String(contentsOf: file, encoding: .utf8)).contains(Self.key)) }
    }

    @Test func aKeyFileOthersCanReadIsWarnedAboutOnEveryCommand() throws {
        let folder = try TemporaryDirectory("gazette-keymode")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url)
        #expect(try GazetteBinary.run(["subscribers", "add", "reader@sample.test"], in: folder.url).status == 0)
        let key = folder.path("gazette.key")
        // Made on first use with mode 0600: no warning.
        #expect(FileManager.default.fileExists(atPath: key))
        #expect(!(try GazetteBinary.run(["subscribers", "list"], in: folder.url).stderr.contains("readable")))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key)
        let warned = try GazetteBinary.run(["subscribers", "list"], in: folder.url)
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("gazette.key is readable by group and others (mode 0644)"), "\(warned.stderr)")
        #expect(warned.stderr.contains("chmod 600"))
    }
}
