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

    /// Checks that the outbox can take a message, changing nothing that stays: an outbox
    /// that exists gets a probe file written to and removed from `tmp/`; one that does not
    /// yet needs its nearest existing parent folder writable, for `deliver` to create it.
    public func checkWritable() throws(MailTransportError) {
        let fileManager = FileManager.default
        var isFolder: ObjCBool = false
        guard fileManager.fileExists(atPath: directory.path, isDirectory: &isFolder) else {
            var parent = directory.deletingLastPathComponent()
            while !fileManager.fileExists(atPath: parent.path), parent.path != "/" { parent = parent.deletingLastPathComponent() }
            guard fileManager.isWritableFile(atPath: parent.path) else {
                throw .outboxUnwritable(path: directory.path, reason: "it does not exist and \(parent.path) is not writable")
            }
            return
        }
        guard isFolder.boolValue else { throw .outboxUnwritable(path: directory.path, reason: "it is a file, not a folder") }
        let tmp = directory.appendingPathComponent("tmp")
        let folder = fileManager.fileExists(atPath: tmp.path) ? tmp : directory
        let probe = folder.appendingPathComponent(".gazette-doctor-\(getpid())")
        do {
            try Data().write(to: probe)
            try fileManager.removeItem(at: probe)
        } catch {
            throw .outboxUnwritable(path: directory.path, reason: (error as NSError).localizedDescription)
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
