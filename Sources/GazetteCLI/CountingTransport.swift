import Mailing

/// Accepts every message and keeps none: what `gazette run --dry-run` "sends".
struct CountingTransport: MailTransport {
    func deliver(_ message: OutgoingMessage) async throws {}
}
