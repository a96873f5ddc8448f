import FeedFetching
import Foundation

/// A real HTTP server on 127.0.0.1 serving a folder (Tests/Tools/http_server.py), with ETag
/// and Last-Modified validators, 304 answers, redirects, error statuses and the hostile
/// behaviours its docstring lists. One per test.
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
    public func requests() -> [String] { requestTimes().map(\.path) }

    /// The request paths received so far, with when each arrived (seconds since 1970).
    public func requestTimes() -> [(path: String, time: Double)] {
        ((try? String(contentsOf: requestLog, encoding: .utf8)) ?? "").split(separator: "\n").map { line in
            let fields = line.split(separator: "\t")
            return (String(fields[0]), fields.count > 1 ? Double(fields[1]) ?? 0 : 0)
        }
    }

    /// The most requests with a `delay=` the server held at once, and how many requests it
    /// received (the request for the numbers is not counted).
    public func stats() async throws -> (maxInFlight: Int, requests: Int) {
        let response = try await CurlHTTPClient().get(HTTPRequest(url: url("stats")))
        let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any] ?? [:]
        return (object["max_in_flight"] as? Int ?? 0, object["requests"] as? Int ?? 0)
    }
}
