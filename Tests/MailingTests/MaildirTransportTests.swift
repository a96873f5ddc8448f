import Foundation
import GazetteTestSupport
import Mailing
import Testing

@Suite struct MaildirTransportTests {
    @Test func writesIntoNewAndReplacesTheSameMessageInsteadOfAddingOne() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let transport = MaildirTransport(directory: folder.url)
        let message = OutgoingMessage(envelopeFrom: "d@s.test", recipient: "r@s.test", messageID: "a.b/c@s.test", data: Data("one\r\n".utf8))
        try await transport.deliver(message)
        var again = message
        again.data = Data("two\r\n".utf8)
        try await transport.deliver(again)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path("new"))
        #expect(files == ["a.b_c_s.test.eml"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path("tmp")).isEmpty)
        #expect(try String(contentsOfFile: folder.path("new/a.b_c_s.test.eml"), encoding: .utf8) == "two\r\n")
    }

    @Test func anUnwritableOutboxIsAClearError() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let blocker = folder.url.appendingPathComponent("outbox")
        try Data("a file, not a folder".utf8).write(to: blocker)
        let transport = MaildirTransport(directory: blocker)
        await #expect {
            try await transport.deliver(OutgoingMessage(envelopeFrom: "d@s.test", recipient: "r@s.test", messageID: "x@s.test", data: Data()))
        } throws: { error in
            guard case .outboxUnwritable(let path, _) = error as? MailTransportError else { return false }
            return path == blocker.path
        }
    }
}
