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

    /// How many `deliver` calls may usefully run at once: the sender keeps at most this many
    /// messages in flight. 1 unless the transport says more (SMTP: its connections).
    var connections: Int { get }

    /// Delivers, calling `handingOver` once, at the transport's point of no return: the last
    /// moment at which stopping still means the receiver discards the message. For SMTP that
    /// is just before the last bytes of DATA and the final `.`; a process killed after it
    /// leaves a server holding the whole message and about to accept it, with no answer read.
    /// The caller records that moment (`Delivery.handedOverAt`) so a crash there does not turn
    /// into a second copy in the subscriber's inbox. If `handingOver` throws, the message is
    /// abandoned before that point and `deliver` throws `MailTransportError.abandoned`.
    ///
    /// Transports for which a repeat is harmless or that have no such moment (the outbox
    /// replaces a file of the same Message-ID; sendmail) use the default, which never calls it.
    func deliver(_ message: OutgoingMessage, handingOver: @escaping @Sendable () throws -> Void) async throws
}

extension MailTransport {
    public var connections: Int { 1 }

    public func deliver(_ message: OutgoingMessage, handingOver: @escaping @Sendable () throws -> Void) async throws {
        try await deliver(message)
    }
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
    /// The caller's `handingOver` failed (the ledger could not record the moment), so the
    /// message was stopped before its end and the server discards it.
    case abandoned(recipient: String, reason: String)

    /// The recipient will never accept this message (5xx): do not retry.
    public var isPermanent: Bool {
        if case .smtp(let code, _, _) = self { return (500..<600).contains(code) }
        return false
    }

    /// Every other message would fail the same way (TLS, credentials, the outbox): stop the run's sending.
    public var stopsSending: Bool {
        switch self {
        case .tlsUnavailable, .tlsFailed, .authentication, .outboxUnwritable, .abandoned: true
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
        case .abandoned(let recipient, let reason):
            "mail: the message to \(recipient) was stopped before its end, so the server discards it: \(reason)"
        }
    }
}
