import Foundation

/// A real SMTP server on 127.0.0.1 (Tests/Tools/smtp_server.py, aiosmtpd). Recipients pick
/// its behaviour: `tempfail-…` (451 once), `busy-…` (421), `reject-…` (550), `drop-…`
/// (connection closed at the end of DATA once), `die-…` (the server exits at the end of DATA,
/// once per spool); everything else is accepted.
public final class LoopbackSMTPServer: Sendable {
    private let server: LoopbackServerProcess
    public let spool: URL

    /// - Parameters:
    ///   - credentials: "user:password" to require AUTH.
    ///   - tls: offer and require STARTTLS with a self-signed certificate (`certificate`).
    ///   - restarting: a stopped (or dead) server to bring back on the same port and spool.
    public init(credentials: String? = nil, tls: Bool = false, restarting previous: LoopbackSMTPServer? = nil) throws {
        spool = previous?.spool ?? FileManager.default.temporaryDirectory.appendingPathComponent("gazette-smtp-\(UUID().uuidString)")
        server = try LoopbackServerProcess(
            script: "smtp_server.py",
            arguments: ["--spool", spool.path] + (credentials.map { ["--auth", $0] } ?? []) + (tls ? ["--tls"] : [])
                + (previous.map { ["--port", String($0.port)] } ?? []))
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
        let log = spool.appendingPathComponent("accepted.jsonl")
        guard FileManager.default.fileExists(atPath: log.path) else { return [] }
        return try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(Accepted.self, from: Data($0.utf8))
        }
    }

    /// The commands clients sent, in order, by name (`EHLO`, `AUTH PLAIN`, `MAIL`…).
    public func commands() throws -> [String] {
        let log = spool.appendingPathComponent("commands.log")
        guard FileManager.default.fileExists(atPath: log.path) else { return [] }
        return try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// The accepted messages' files, in order.
    public func messageFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: spool, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "eml" }.sorted { $0.path < $1.path }
    }
}
