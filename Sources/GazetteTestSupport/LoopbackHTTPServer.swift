import Foundation

/// A real HTTP server on 127.0.0.1 serving a folder (Tests/Tools/http_server.py), with ETag
/// and Last-Modified validators, 304 answers and `/redirect?to=URL`. One per test.
public final class LoopbackHTTPServer: Sendable {
    private let server: LoopbackServerProcess
    /// Every request path, one per line, in arrival order.
    public let requestLog: URL

    public init(serving root: URL) throws {
        requestLog = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-http-\(UUID().uuidString).log")
        server = try LoopbackServerProcess(script: "http_server.py", arguments: ["--root", root.path, "--log", requestLog.path])
    }

    public var port: Int { server.port }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }

    public func stop() { server.stop() }

    /// The request paths received so far.
    public func requests() -> [String] {
        ((try? String(contentsOf: requestLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
