import Foundation

/// A rendered message with its envelope: what a transport needs, nothing more.
public struct OutgoingMessage: Sendable, Hashable {
    /// The envelope sender (`MAIL FROM`): where bounces go.
    public var envelopeFrom: String
    /// The envelope recipient (`RCPT TO`): one subscriber per message.
    public var recipient: String
    public var messageID: String
    /// The complete RFC 5322 message, CRLF line endings.
    public var data: Data

    public init(envelopeFrom: String, recipient: String, messageID: String, data: Data) {
        self.envelopeFrom = envelopeFrom
        self.recipient = recipient
        self.messageID = messageID
        self.data = data
    }
}

/// Hands messages to whatever delivers them: an SMTP server, an outbox folder.
///
/// `deliver` returns once the message is accepted (written to disk, or a 250 reply). Delivering
/// the same Message-ID twice must not make two messages where the transport can prevent it:
/// the outbox overwrites, SMTP cannot and relies on the delivery ledger.
public protocol MailTransport: Sendable {
    func deliver(_ message: OutgoingMessage) async throws
}

/// Why a message could not be delivered. `isPermanent` failures are not retried.
public enum MailTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    case outboxUnwritable(path: String, reason: String)
    /// The server answered this reply code: 4xx means try later, 5xx means never.
    case smtp(code: Int, reply: String, recipient: String)
    /// The connection failed or dropped before the server accepted the message.
    case connection(server: String, reason: String)
    /// STARTTLS is required and the server does not offer it: nothing was sent in plain text.
    case tlsUnavailable(server: String)
    /// The TLS handshake failed (an untrusted certificate, a name mismatch): nothing was sent.
    case tlsFailed(server: String, reason: String)
    case authentication(server: String, reason: String)
    case sendmail(path: String, reason: String)

    /// The recipient will never accept this message (5xx): do not retry.
    public var isPermanent: Bool {
        if case .smtp(let code, _, _) = self { return (500..<600).contains(code) }
        return false
    }

    /// Every other message would fail the same way (TLS, credentials, the outbox): stop the run's sending.
    public var stopsSending: Bool {
        switch self {
        case .tlsUnavailable, .tlsFailed, .authentication, .outboxUnwritable: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .outboxUnwritable(let path, let reason):
            "mail: cannot write to the outbox \(path): \(reason)"
        case .smtp(let code, let reply, let recipient):
            "mail: the SMTP server refused \(recipient) with \(code) \(reply)"
        case .connection(let server, let reason):
            "mail: cannot talk to \(server): \(reason)"
        case .tlsUnavailable(let server):
            "mail: \(server) does not offer STARTTLS, which is required; nothing was sent in plain text "
                + "(set [delivery] starttls = \"opportunistic\" or \"off\" only for a trusted relay)"
        case .tlsFailed(let server, let reason):
            "mail: TLS with \(server) failed: \(reason); nothing was sent (set [delivery] ca_file for a private CA)"
        case .authentication(let server, let reason):
            "mail: \(server) refused the login: \(reason); check [delivery] username and the password"
        case .sendmail(let path, let reason):
            "mail: \(path) failed: \(reason)"
        }
    }
}
