import Foundation

/// Runs a command in a real terminal — a detached tmux session of a given size — and reads
/// back the screen, as an editor over SSH would see it.
public final class TmuxSession {
    private let socket = "gazette-test-\(UUID().uuidString.prefix(8))"

    public static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    public init() {}

    deinit { _ = try? tmux(["kill-server"]) }

    /// Starts `command` (run by sh) in a `columns` × `rows` terminal with `environment` set,
    /// and waits until the screen shows `marker` (or 20 seconds pass).
    public func run(_ command: String, columns: Int, rows: Int, environment: [String: String], until marker: String) throws {
        var arguments = ["new-session", "-d", "-x", String(columns), "-y", String(rows)]
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) { arguments += ["-e", "\(name)=\(value)"] }
        arguments.append(command + "; sleep 60")
        try tmux(arguments, capturing: false)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if try capture(escapes: false).contains(marker) { return }
            usleep(100_000)
        }
        throw TestServerError("the terminal never showed \(marker):\n" + (try capture(escapes: false)))
    }

    /// The screen and its scrollback; with `escapes`, colour and style sequences too. Lines the
    /// terminal itself had to wrap are joined back, so an over-long line shows as one.
    public func capture(escapes: Bool) throws -> String {
        try tmux(["capture-pane", "-p", "-J", "-S", "-", "-E", "-"] + (escapes ? ["-e"] : []))
    }

    /// Runs tmux on this session's own server socket. A command that starts the server must
    /// not capture output: the server would inherit the pipe and keep it open.
    @discardableResult
    private func tmux(_ arguments: [String], capturing: Bool = true) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/tmux")
        process.arguments = ["-L", socket, "-f", "/dev/null"] + arguments
        let output = Pipe()
        process.standardOutput = capturing ? output : FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Foundation waits for the forked tmux server too, which lives as long as the session:
        // a command that may start the server is not waited for.
        guard capturing else { return "" }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
