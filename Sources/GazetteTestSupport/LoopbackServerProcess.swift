import Foundation

/// A test server script from Tests/Tools run as a child process on 127.0.0.1. The script
/// prints "PORT <n>" once it listens; `stop()` (or release) ends it.
public final class LoopbackServerProcess: Sendable {
    public let port: Int
    private let process: Process

    public init(script: String, arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", RepoPaths.tools.appendingPathComponent(script).path] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let line = Self.readLine(from: output.fileHandleForReading)
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            process.terminate()
            throw TestServerError("\(script) did not start (is its Python package installed? see .ci/run): \(line)")
        }
        self.port = port
        self.process = process
    }

    deinit { stop() }

    /// Stops the server: SIGTERM, then SIGKILL if it is still running after two seconds.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(2)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    private static func readLine(from handle: FileHandle) -> String {
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
