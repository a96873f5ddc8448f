import Foundation
import GazetteTestSupport
import Mailing
import Testing

/// The sendmail transport runs a real program. A stand-in `sendmail` script records its
/// arguments and input, as Postfix's would receive them.
@Suite struct SendmailTransportTests {
    private func script(in folder: TemporaryDirectory, exit status: Int) throws -> String {
        let path = folder.path("sendmail")
        try """
            #!/bin/sh
            printf '%s\\n' "$@" > "\(folder.path("args"))"
            cat > "\(folder.path("stdin"))"
            [ \(status) -eq 0 ] || echo "sendmail: fatal: no such user" >&2
            exit \(status)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    @Test func theEnvelopeIsExplicitAndTheMessageHasUnixLineEndings() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let transport = SendmailTransport(path: try script(in: folder, exit: 0))
        try await transport.deliver(OutgoingMessage(
            envelopeFrom: "digest@sample.test", recipient: "dana@sample.test", messageID: "m@sample.test",
            data: Data("Subject: hi\r\nBcc: someone@else.test\r\n\r\nbody\r\n".utf8)))
        let args = try String(contentsOfFile: folder.path("args"), encoding: .utf8)
        #expect(args == "-i\n-f\ndigest@sample.test\n--\ndana@sample.test\n")  // no -t: headers add no recipient
        #expect(try String(contentsOfFile: folder.path("stdin"), encoding: .utf8) == "Subject: hi\nBcc: someone@else.test\n\nbody\n")
    }

    @Test func aFailingSendmailIsReportedWithItsMessage() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let transport = SendmailTransport(path: try script(in: folder, exit: 67))
        await #expect {
            try await transport.deliver(OutgoingMessage(envelopeFrom: "d@sample.test", recipient: "x@sample.test", messageID: "m", data: Data()))
        } throws: { error in
            guard case .sendmail(_, let reason) = error as? MailTransportError else { return false }
            return reason.contains("exit status 67") && reason.contains("no such user")
        }
        await #expect(throws: MailTransportError.self) {
            try await SendmailTransport(path: "/nonexistent/sendmail").deliver(
                OutgoingMessage(envelopeFrom: "d@sample.test", recipient: "x@sample.test", messageID: "m", data: Data()))
        }
    }
}
