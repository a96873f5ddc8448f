import Foundation
import GazetteTestSupport
import Mailing
import Testing

/// libcurl SMTP against a real SMTP server (aiosmtpd) on 127.0.0.1.
@Suite struct CurlSMTPTransportTests {
    private func message(to recipient: String, id: String) -> OutgoingMessage {
        let mail = MailMessage(
            from: MailAddress(name: "Sample Digest", address: "digest@sample.test"), to: MailAddress(address: recipient),
            subject: "עדכון — test", date: Date(timeIntervalSince1970: 1_795_676_400), messageID: id,
            text: "Hello\n.a line that starts with a dot\n", html: "<p>Hello</p>")
        return OutgoingMessage(
            envelopeFrom: "digest@sample.test", recipient: recipient, messageID: id, data: MIMEWriter.render(mail, boundary: "=_b"))
    }

    private func transport(_ server: LoopbackSMTPServer, starttls: SMTPSettings.STARTTLS = .off, user: String? = nil, password: String? = nil) -> CurlSMTPTransport {
        CurlSMTPTransport(settings: SMTPSettings(url: server.url, starttls: starttls, username: user, password: password, timeout: .seconds(10)))
    }

    @Test func anAcceptedMessageArrivesIntactWithItsEnvelope() async throws {
        let server = try LoopbackSMTPServer()
        let smtp = transport(server)
        try await smtp.deliver(message(to: "dana@sample.test", id: "m1@sample.test"))
        try await smtp.deliver(message(to: "omer@sample.test", id: "m2@sample.test"))
        let accepted = try server.accepted()
        #expect(accepted.map(\.to) == [["dana@sample.test"], ["omer@sample.test"]])
        #expect(accepted.map(\.from) == ["digest@sample.test", "digest@sample.test"])
        #expect(accepted.map(\.messageID) == ["<m1@sample.test>", "<m2@sample.test>"])
        let parsed = try ParsedEmail.parse(try server.messageFiles())
        #expect(parsed.allSatisfy { $0.defects.isEmpty })
        #expect(parsed.first?.headers["Subject"] == "עדכון — test")
        // Dot-stuffing survived the trip: the line still starts with its dot.
        #expect(parsed.first?.parts.first?.body.contains("\n.a line that starts with a dot") == true)
    }

    /// What the hand-over hook saw, shared with libcurl's thread.
    /// Raised once, from another task.
    private final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var raised = false
        func raise() { lock.withLock { raised = true } }
        var isRaised: Bool { lock.withLock { raised } }
    }

    private final class HandOverLog: @unchecked Sendable {
        let lock = NSLock()
        var serverHadIt: [Bool] = []
        func record(_ had: Bool) { lock.withLock { serverHadIt.append(had) } }
    }

    @Test(arguments: [200, 300_000])
    func theHandOverComesOnceBeforeTheServerHasTheMessageWhichArrivesByteForByte(lines: Int) async throws {
        let server = try LoopbackSMTPServer()
        let smtp = transport(server)
        // Lines that start with a dot, across many of libcurl's read buffers for the large case.
        let text = (0..<lines / 40).map { ".line \($0) starts with a dot" }.joined(separator: "\n")
        let mail = MailMessage(
            from: MailAddress(name: "Sample Digest", address: "digest@sample.test"), to: MailAddress(address: "dana@sample.test"),
            subject: "hand-over", date: Date(timeIntervalSince1970: 1_795_676_400), messageID: "h@sample.test", text: text, html: "<p>.</p>")
        let outgoing = OutgoingMessage(
            envelopeFrom: "digest@sample.test", recipient: "dana@sample.test", messageID: "h@sample.test",
            data: MIMEWriter.render(mail, boundary: "=_b"))
        let log = HandOverLog()
        try await smtp.deliver(outgoing) { log.record(!((try? server.accepted()) ?? []).isEmpty) }
        #expect(log.serverHadIt == [false], "called once, while the server could still discard the message")
        let files = try server.messageFiles()
        #expect(files.count == 1)
        #expect(try files.first.map { try Data(contentsOf: $0) } == outgoing.data, "the held-back line break and the dots arrive intact")
    }

    /// A real digest (Snapshots/dot-line-digest.eml) with a quoted-printable line that starts
    /// with a dot. Handed over with its last byte alone after the hook, libcurl 7.88 lost that
    /// byte's place: the server stored the closing boundary as "--\r\r\n". The last line
    /// break now goes whole.
    @Test func aDigestWithADotLineArrivesByteForByteAfterTheHandOver() async throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/dot-line-digest.eml")
        let data = try Data(contentsOf: file)
        #expect(data.split(separator: UInt8(ascii: "\n")).contains { $0.first == UInt8(ascii: ".") })
        let server = try LoopbackSMTPServer()
        let outgoing = OutgoingMessage(
            envelopeFrom: "digest@sample.test", recipient: "reader03@sample.test", messageID: "dot@sample.test", data: data)
        try await transport(server).deliver(outgoing) {}
        #expect(try server.messageFiles().map { try Data(contentsOf: $0) } == [data])
    }

    @Test func aHandOverThatFailsAbandonsTheMessageAndTheNextOneGoesThrough() async throws {
        struct LedgerDown: Error, CustomStringConvertible { var description: String { "the ledger is read-only" } }
        let server = try LoopbackSMTPServer()
        let smtp = transport(server)
        await #expect {
            try await smtp.deliver(message(to: "dana@sample.test", id: "lost@sample.test")) { throw LedgerDown() }
        } throws: { error in
            guard let error = error as? MailTransportError, case .abandoned(let recipient, let reason) = error else { return false }
            return recipient == "dana@sample.test" && reason == "the ledger is read-only" && error.stopsSending
        }
        try await smtp.deliver(message(to: "omer@sample.test", id: "next@sample.test")) {}
        #expect(try server.accepted().map(\.messageID) == ["<next@sample.test>"], "the abandoned message never reached the mailbox")
    }

    @Test func aDeferralIsTemporaryAndTheRetryIsAccepted() async throws {
        let server = try LoopbackSMTPServer()
        let smtp = transport(server)
        await #expect {
            try await smtp.deliver(message(to: "tempfail-1@sample.test", id: "t@sample.test"))
        } throws: { error in
            guard let error = error as? MailTransportError, case .smtp(let code, _, let recipient) = error else { return false }
            return code == 451 && !error.isPermanent && recipient == "tempfail-1@sample.test"
        }
        try await smtp.deliver(message(to: "tempfail-1@sample.test", id: "t@sample.test"))
        #expect(try server.accepted().map(\.messageID) == ["<t@sample.test>"])
    }

    @Test func aRefusedRecipientIsPermanentAndTheConnectionCarriesOn() async throws {
        let server = try LoopbackSMTPServer()
        let smtp = transport(server)
        await #expect {
            try await smtp.deliver(message(to: "reject-1@sample.test", id: "r@sample.test"))
        } throws: { error in
            guard let error = error as? MailTransportError, case .smtp(let code, _, _) = error else { return false }
            return code == 550 && error.isPermanent
        }
        try await smtp.deliver(message(to: "after@sample.test", id: "a@sample.test"))
        #expect(try server.accepted().map(\.messageID) == ["<a@sample.test>"])
    }

    @Test func aDroppedConnectionIsTemporaryAndTheNextMessageReconnects() async throws {
        let server = try LoopbackSMTPServer()
        let smtp = transport(server)
        await #expect {
            try await smtp.deliver(message(to: "drop-1@sample.test", id: "d@sample.test"))
        } throws: { error in
            guard let error = error as? MailTransportError else { return false }
            if case .connection = error { return !error.isPermanent }
            return false
        }
        try await smtp.deliver(message(to: "next@sample.test", id: "n@sample.test"))
        try await smtp.deliver(message(to: "drop-1@sample.test", id: "d@sample.test"))
        #expect(try server.accepted().map(\.messageID) == ["<n@sample.test>", "<d@sample.test>"])
    }

    @Test func requiredSTARTTLSThatIsNotOfferedSendsNothing() async throws {
        let server = try LoopbackSMTPServer()
        let smtp = transport(server, starttls: .required)
        await #expect(throws: MailTransportError.tlsUnavailable(server: server.url)) {
            try await smtp.deliver(message(to: "dana@sample.test", id: "tls@sample.test"))
        }
        #expect(try server.accepted().isEmpty)
        #expect(MailTransportError.tlsUnavailable(server: server.url).stopsSending)
    }

    @Test func starttlsWithATrustedCertificateCarriesTheMessageAndLogin() async throws {
        let server = try LoopbackSMTPServer(credentials: "digest:s3cret", tls: true)
        let trusted = CurlSMTPTransport(settings: SMTPSettings(
            url: server.url, starttls: .required, username: "digest", password: "s3cret", caFile: server.certificate.path))
        try await trusted.deliver(message(to: "dana@sample.test", id: "tls-ok@sample.test"))
        #expect(try server.accepted().map(\.messageID) == ["<tls-ok@sample.test>"])
        // Without the CA the certificate is not trusted, and nothing is sent.
        let untrusting = CurlSMTPTransport(settings: SMTPSettings(url: server.url, starttls: .required, username: "digest", password: "s3cret"))
        await #expect {
            try await untrusting.deliver(message(to: "dana@sample.test", id: "tls-no@sample.test"))
        } throws: { error in
            guard let error = error as? MailTransportError, case .tlsFailed = error else { return false }
            return error.stopsSending
        }
        #expect(try server.accepted().count == 1)
    }

    @Test func theRateLimitSpacesMessagesOut() async throws {
        let server = try LoopbackSMTPServer()
        let limited = CurlSMTPTransport(settings: SMTPSettings(url: server.url, starttls: .off, maxPerSecond: 10))
        let start = ContinuousClock.now
        for index in 1...4 { try await limited.deliver(message(to: "r\(index)@sample.test", id: "rate\(index)@sample.test")) }
        // Three gaps of at least 100 ms: a lower bound, so a slow machine cannot fail it.
        #expect(ContinuousClock.now - start >= .milliseconds(300))
        #expect(try server.accepted().count == 4)
    }

    @Test func aSecondConnectionCarriesMailWhileTheFirstWaitsForItsReply() async throws {
        let server = try LoopbackSMTPServer()
        let smtp = CurlSMTPTransport(settings: SMTPSettings(url: server.url, starttls: .off, connections: 2, timeout: .seconds(30)))
        #expect(smtp.connections == 2)
        // The server holds its reply to hold-… for up to 60 s: one connection stays busy.
        let heldDone = Flag()
        let held = Task {
            _ = try? await smtp.deliver(message(to: "hold-a@sample.test", id: "held@sample.test"))
            heldDone.raise()
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while try !server.holding().contains("hold-a@sample.test"), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        try await smtp.deliver(message(to: "dana@sample.test", id: "free@sample.test"))
        // Accepted while the held message still waits for its reply: it went over the other connection.
        #expect(try server.accepted().map(\.messageID).contains("<free@sample.test>"))
        #expect(!heldDone.isRaised, "the held message is still waiting")
        server.stop()
        await held.value
    }

    @Test func everyConnectionIsReusedForManyMessages() async throws {
        let server = try LoopbackSMTPServer()
        let smtp = CurlSMTPTransport(settings: SMTPSettings(url: server.url, starttls: .off, connections: 3, timeout: .seconds(30)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 1...12 {
                group.addTask { try await smtp.deliver(self.message(to: "r\(index)@sample.test", id: "many\(index)@sample.test")) }
            }
            try await group.waitForAll()
        }
        #expect(Set(try server.accepted().map(\.messageID)).count == 12)
        let sessions = try server.commands().filter { $0 == "EHLO" }.count
        #expect((1...3).contains(sessions), "\(sessions) sessions for 12 messages over at most 3 connections")
    }

    @Test func authenticationUsesTheGivenCredentials() async throws {
        let server = try LoopbackSMTPServer(credentials: "digest:s3cret")
        await #expect {
            try await transport(server, user: "digest", password: "wrong").deliver(message(to: "dana@sample.test", id: "x@sample.test"))
        } throws: { error in
            guard case .authentication = error as? MailTransportError else { return false }
            return true
        }
        try await transport(server, user: "digest", password: "s3cret").deliver(message(to: "dana@sample.test", id: "ok@sample.test"))
        #expect(try server.accepted().map(\.messageID) == ["<ok@sample.test>"])
    }

    @Test func aDeadServerIsAConnectionError() async {
        let smtp = CurlSMTPTransport(settings: SMTPSettings(url: "smtp://127.0.0.1:1", starttls: .off, connectTimeout: .seconds(2)))
        await #expect {
            try await smtp.deliver(message(to: "dana@sample.test", id: "dead@sample.test"))
        } throws: { error in
            guard case .connection(let server, _) = error as? MailTransportError else { return false }
            return server == "smtp://127.0.0.1:1"
        }
    }
}
