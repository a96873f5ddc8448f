import Dispatch
import Foundation
import Synchronization

/// Runs the built `gazette` executable, as a user or cron would, and captures what it says.
public enum GazetteBinary {
    public struct Result: Sendable {
        /// The exit code, or the signal's number when `killed`.
        public var status: Int32
        /// The process was ended by a signal (a crash test's SIGKILL), not by exiting.
        public var killed: Bool = false
        public var stdout: String
        public var stderr: String
    }

    /// The executable beside the test bundle (`swift build --build-tests` builds both).
    public static var url: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gazette")
    }

    /// Starts the executable in the background, its output discarded; the caller waits or kills.
    public static func start(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "GAZETTE_CONFIG")
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// - Parameter input: what the command reads on standard input (small: written before reading its output).
    public static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:], input: Data? = nil) throws -> Result {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "GAZETTE_CONFIG")
        env.merge(environment) { $1 }
        process.environment = env
        // Never a terminal: commands that would ask a question must be told (--yes) instead.
        let inputPipe = input.map { _ in Pipe() }
        process.standardInput = inputPipe ?? FileHandle.nullDevice
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        if let input, let inputPipe {
            inputPipe.fileHandleForWriting.write(input)
            try inputPipe.fileHandleForWriting.close()
        }
        // Drain both pipes at once, and before waiting: read one after the other, a process
        // that fills the second pipe (64 KiB) stalls before closing the first, and both wait
        // forever. A sanitizer's exit-time report to stderr did exactly that.
        let errData = Mutex(Data())
        let errDrained = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let data = err.fileHandleForReading.readDataToEndOfFile()
            errData.withLock { $0 = data }
            errDrained.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        errDrained.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, killed: process.terminationReason == .uncaughtSignal,
            stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData.withLock { $0 }, as: UTF8.self))
    }
}
