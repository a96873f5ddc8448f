import Foundation

/// Writes each message as an `.eml` file into a Maildir-layout outbox (`tmp/`, `new/`, `cur/`).
///
/// A message is written to `tmp/` and renamed into `new/`, so a reader never sees half a
/// file. The name comes from the Message-ID alone, so delivering the same message again
/// replaces the file instead of adding a second one.
public struct MaildirTransport: MailTransport {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public func deliver(_ message: OutgoingMessage) async throws {
        let fileManager = FileManager.default
        let name = Self.fileName(for: message.messageID)
        let temporary = directory.appendingPathComponent("tmp").appendingPathComponent(name)
        let final = directory.appendingPathComponent("new").appendingPathComponent(name)
        do {
            for folder in ["tmp", "new", "cur"] {
                try fileManager.createDirectory(
                    at: directory.appendingPathComponent(folder), withIntermediateDirectories: true)
            }
            try message.data.write(to: temporary, options: .atomic)
            if rename(temporary.path, final.path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            try? fileManager.removeItem(at: temporary)
            throw MailTransportError.outboxUnwritable(path: directory.path, reason: (error as NSError).localizedDescription)
        }
    }

    /// A Maildir-safe file name: the Message-ID with anything but letters, digits, `.`, `-`
    /// and `_` replaced, plus `.eml`.
    static func fileName(for messageID: String) -> String {
        let safe = messageID.unicodeScalars.map { scalar -> Character in
            let allowed = scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar))
            return allowed ? Character(scalar) : "_"
        }
        return String(safe) + ".eml"
    }
}
