import Foundation

/// A real SMTP server on 127.0.0.1 (Tests/Tools/smtp_server.py, aiosmtpd). Recipients pick
/// its behaviour: `tempfail-…` (451 once), `busy-…` (421), `reject-…` (550), `drop-…`
/// (connection closed at the end of DATA once), `die-…` (the server exits at the end of DATA,
/// once per spool), `slow-…` (stored, then the 250 waits 30 s, once), `hold-…` (the whole
/// message read, then the server says so in `holding()` and waits before its 250, once);
/// everything else is accepted.
public final class LoopbackSMTPServer: Sendable {
    /// What the server does with a message whose client disconnects while it delays the reply
    /// (`hold-…` recipients, `replyDelay`).
    public enum ClientGone: String, Sendable {
        /// Keep it: the server had queued it before answering.
        case store
        /// Throw it away, as a before-queue content filter does when the client vanishes first.
        case discard
    }

    private let server: LoopbackServerProcess
    public let spool: URL

    /// - Parameters:
    ///   - credentials: "user:password" to require AUTH.
    ///   - tls: offer and require STARTTLS with a self-signed certificate (`certificate`).
    ///   - restarting: a stopped (or dead) server to bring back on the same port and spool.
    ///   - replyDelayMilliseconds: every message waits this long after its final `.` before the 250.
    ///   - clientGone: what becomes of a message whose client vanished while its reply was delayed.
    public init(
        credentials: String? = nil, tls: Bool = false, restarting previous: LoopbackSMTPServer? = nil,
        replyDelayMilliseconds: Int = 0, clientGone: ClientGone = .store
    ) throws {
        spool = previous?.spool ?? FileManager.default.temporaryDirectory.appendingPathComponent("gazette-smtp-\(UUID().uuidString)")
        server = try LoopbackServerProcess(
            script: "smtp_server.py",
            arguments: ["--spool", spool.path] + (credentials.map { ["--auth", $0] } ?? []) + (tls ? ["--tls"] : [])
                + (previous.map { ["--port", String($0.port)] } ?? [])
                + ["--reply-delay-ms", String(replyDelayMilliseconds), "--client-gone", clientGone.rawValue])
    }

    /// The recipients of `hold-…` messages the server has read whole and is holding (or held)
    /// its reply for, in order.
    public func holding() throws -> [String] {
        try lines(of: "holding")
    }

    /// The messages thrown away because their client vanished before the reply (`.discard`).
    public func discarded() throws -> [Accepted] {
        try lines(of: "discarded.jsonl").map { try JSONDecoder().decode(Accepted.self, from: Data($0.utf8)) }
    }

    private func lines(of file: String) throws -> [String] {
        let url = spool.appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// The self-signed certificate of a `tls` server, to trust as its CA.
    public var certificate: URL { spool.appendingPathComponent("cert.pem") }

    public var port: Int { server.port }
    public var url: String { "smtp://127.0.0.1:\(port)" }

    public func stop() { server.stop() }

    /// One accepted message: its envelope and Message-ID header.
    public struct Accepted: Decodable, Sendable, Hashable {
        public var from: String
        public var to: [String]
        public var messageID: String
    }

    /// The messages the server accepted, in order.
    public func accepted() throws -> [Accepted] {
        try lines(of: "accepted.jsonl").map { try JSONDecoder().decode(Accepted.self, from: Data($0.utf8)) }
    }

    /// The commands clients sent, in order, by name (`EHLO`, `AUTH PLAIN`, `MAIL`…).
    public func commands() throws -> [String] {
        try lines(of: "commands.log")
    }

    /// The accepted messages' files, in order.
    public func messageFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: spool, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "eml" }.sorted { $0.path < $1.path }
    }
}
