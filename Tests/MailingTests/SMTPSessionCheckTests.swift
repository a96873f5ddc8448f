import Foundation
import GazetteTestSupport
@testable import Mailing
import Testing

/// `gazette doctor`'s SMTP check against a real server (aiosmtpd): a whole session up to
/// AUTH, and never a message.
@Suite struct SMTPSessionCheckTests {
    @Test func aSessionGoesThroughStarttlsAndAuthWithoutMailOrData() async throws {
        let server = try LoopbackSMTPServer(credentials: "digest:s3cret", tls: true)
        let transport = CurlSMTPTransport(settings: SMTPSettings(
            url: server.url, starttls: .required, username: "digest", password: "s3cret", caFile: server.certificate.path,
            timeout: .seconds(10)))
        let session = try await transport.checkSession()
        #expect(session.encrypted)
        #expect(session.authenticated)
        #expect(session.commands.first == "EHLO")
        #expect(session.commands.contains("STARTTLS"))
        #expect(session.commands.last == "NOOP")
        // The server's side of the story: the same session, and nothing that starts a message.
        let seen = try server.commands()
        #expect(seen.starts(with: ["EHLO", "STARTTLS", "EHLO"]))
        #expect(seen.contains { $0.hasPrefix("AUTH ") })
        #expect(seen.contains("NOOP"))
        #expect(!seen.contains("MAIL") && !seen.contains("RCPT") && !seen.contains("DATA"))
        #expect(try server.accepted().isEmpty)
    }

    @Test func aWrongPasswordIsTheSameErrorADeliveryWouldMeet() async throws {
        let server = try LoopbackSMTPServer(credentials: "digest:s3cret")
        let transport = CurlSMTPTransport(settings: SMTPSettings(
            url: server.url, starttls: .off, username: "digest", password: "wrong", timeout: .seconds(10)))
        await #expect {
            try await transport.checkSession()
        } throws: { error in
            guard let error = error as? MailTransportError, case .authentication = error else { return false }
            return !error.description.contains("wrong")
        }
        #expect(try !server.commands().contains("MAIL"))
    }

    @Test func onlyCommandNamesAreKeptNeverTheirArguments() {
        #expect(SMTPSessionCheck.commandName("EHLO client.example") == "EHLO")
        #expect(SMTPSessionCheck.commandName("AUTH PLAIN AGRpZ2VzdABzM2NyZXQ=") == "AUTH PLAIN")
        #expect(SMTPSessionCheck.commandName("ZGlnZXN0") == nil)  // AUTH LOGIN's base64 user name
        #expect(SMTPSessionCheck.commandName("noop") == "NOOP")
    }
}
