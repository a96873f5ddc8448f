import Foundation

/// Hands each message to the local MTA with `sendmail -t -i`, for hosts that run one.
///
/// `-t` would read recipients from the headers; Gazette passes the envelope explicitly
/// instead (`-f sender -- recipient`), so the headers can never add a recipient.
public struct SendmailTransport: MailTransport {
    public let path: String

    public init(path: String = "/usr/sbin/sendmail") {
        self.path = path
    }

    public func deliver(_ message: OutgoingMessage) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-i", "-f", message.envelopeFrom, "--", message.recipient]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw MailTransportError.sendmail(path: path, reason: (error as NSError).localizedDescription)
        }
        // sendmail wants Unix line endings on standard input.
        let unix = String(decoding: message.data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        input.fileHandleForWriting.write(Data(unix.utf8))
        try? input.fileHandleForWriting.close()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let detail = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw MailTransportError.sendmail(path: path, reason: "exit status \(process.terminationStatus)" + (detail.isEmpty ? "" : ": \(detail)"))
        }
    }
}
