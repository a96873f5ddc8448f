import Foundation

/// A real HTTP server on 127.0.0.1 serving a folder (Tests/Tools/http_server.py), with ETag
/// and Last-Modified validators and 304 answers. Started per test on a free port.
public final class LoopbackHTTPServer: Sendable {
    public let port: Int
    private let process: Process
    /// Every request path, one per line, in arrival order.
    public let requestLog: URL

    public init(serving root: URL) throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-http-\(UUID().uuidString).log")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", RepoPaths.tools.appendingPathComponent("http_server.py").path,
            "--root", root.path, "--log", log.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let line = try Self.readLine(from: output.fileHandleForReading)
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            process.terminate()
            throw TestServerError("the HTTP test server did not start: \(line)")
        }
        self.port = port
        self.process = process
        self.requestLog = log
    }

    deinit { stop() }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }

    /// Stops the server: SIGTERM, then SIGKILL if it is still running after two seconds.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(2)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// The request paths received so far.
    public func requests() -> [String] {
        ((try? String(contentsOf: requestLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    static func readLine(from handle: FileHandle) throws -> String {
        var bytes = Data()
        while true {
            let chunk = handle.readData(ofLength: 1)
            if chunk.isEmpty || chunk == Data("\n".utf8) { break }
            bytes.append(chunk)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

public struct TestServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
