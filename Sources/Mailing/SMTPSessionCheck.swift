import CCurl
import Dispatch
import Foundation

/// What `CurlSMTPTransport.checkSession()` saw: the commands Gazette sent, by name only.
public struct SMTPSessionCheck: Sendable, Hashable {
    /// The SMTP commands sent, in order, without their arguments (`AUTH` keeps its mechanism,
    /// `AUTH PLAIN`): a credential never reaches this list.
    public var commands: [String]
    /// True on an `smtps://` URL or after STARTTLS.
    public var encrypted: Bool
    /// True when an AUTH command was sent and accepted.
    public var authenticated: Bool { commands.contains { $0.hasPrefix("AUTH") } }

    public init(commands: [String], encrypted: Bool) {
        self.commands = commands
        self.encrypted = encrypted
    }

    /// The commands libcurl may send in a session; anything else on the wire (the base64
    /// lines of AUTH LOGIN) is not recorded.
    static let knownCommands: Set<String> = [
        "EHLO", "HELO", "STARTTLS", "AUTH", "NOOP", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "VRFY", "EXPN", "HELP", "QUIT",
    ]

    /// The command's name from one line the client sent, if it is a command.
    static func commandName(_ line: String) -> String? {
        let words = line.split(whereSeparator: \.isWhitespace)
        guard let first = words.first.map({ $0.uppercased() }), knownCommands.contains(first) else { return nil }
        if first == "AUTH", words.count > 1 { return "AUTH " + words[1].uppercased() }
        return first
    }
}

extension CurlSMTPTransport {
    /// Opens a session the way a delivery does — connect, EHLO, STARTTLS, AUTH — and then,
    /// instead of MAIL FROM, sends NOOP and QUIT: libcurl's SMTP custom request without a
    /// body (what its own test 929 checks with `-X NOOP -I`). No message is ever sent.
    /// - Throws: the `MailTransportError` a delivery would have met (TLS, login, connection).
    public func checkSession() async throws(MailTransportError) -> SMTPSessionCheck {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<SMTPSessionCheck, MailTransportError>, Never>) in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { () throws(MailTransportError) in try self.performCheck() })
            }
        }
        return try result.get()
    }

    private func performCheck() throws(MailTransportError) -> SMTPSessionCheck {
        guard let handle = curl_easy_init() else { throw .connection(server: settings.displayURL, reason: "libcurl could not start") }
        defer { curl_easy_cleanup(handle) }  // sends QUIT
        let recorder = CommandRecorder()
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code: CURLcode = withExtendedLifetime(recorder) {
            errorBuffer.withUnsafeMutableBufferPointer { errors in
                configureSession(handle, errors: errors.baseAddress)
                gz_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, "NOOP")
                gz_curl_setopt_long(handle, CURLOPT_NOBODY, 1)
                // The reply text would go to standard output; drop it.
                gz_curl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION) { _, size, count, _ in size * count }
                // The debug callback sees each command line sent; only its name is kept.
                gz_curl_setopt_long(handle, CURLOPT_VERBOSE, 1)
                gz_curl_setopt_debug_callback(handle) { _, type, data, size, context in
                    guard type == CURLINFO_HEADER_OUT, let data, let context else { return 0 }
                    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
                    Unmanaged<CommandRecorder>.fromOpaque(context).takeUnretainedValue().record(line)
                    return 0
                }
                gz_curl_setopt_pointer(handle, CURLOPT_DEBUGDATA, Unmanaged.passUnretained(recorder).toOpaque())
                return curl_easy_perform(handle)
            }
        }
        guard code == CURLE_OK else {
            throw error(code: code, handle: handle, errorBuffer: errorBuffer, recipient: "(no recipient: a session check)")
        }
        let commands = recorder.commands
        let encrypted = settings.url.lowercased().hasPrefix("smtps://") || commands.contains("STARTTLS")
        return SMTPSessionCheck(commands: commands, encrypted: encrypted)
    }
}

/// Collects the names of the commands libcurl sends; touched only by the thread running the check.
private final class CommandRecorder {
    var commands: [String] = []

    func record(_ text: String) {
        for line in text.split(whereSeparator: \.isNewline) {
            if let name = SMTPSessionCheck.commandName(String(line)) { commands.append(name) }
        }
    }
}
