import Foundation
import GazetteApp
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Draws `ProgressLine`s on standard error, redrawing one line with `\r`, and clears it at
/// the end. Only for a person watching: never when standard error is a pipe or a file (cron,
/// logs), with `--log-format json`, with `--verbose` (log lines would tear it) or on a dumb
/// terminal.
final class TerminalProgress: Sendable {
    private struct State {
        var drawn = false
        var lastDraw: ContinuousClock.Instant?
    }

    private let state = Mutex(State())
    /// Redraws at most this often, except the last step of a phase.
    private let interval = Duration.milliseconds(80)

    private init() {}

    /// A progress bar for these options, or nil when nobody should see one.
    static func forStandardError(_ options: GlobalOptions) -> TerminalProgress? {
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        guard isatty(STDERR_FILENO) != 0, options.logFormat == "text", !options.verbose, term != "dumb", !term.isEmpty else {
            return nil
        }
        return TerminalProgress()
    }

    func update(_ update: ProgressUpdate) {
        let now = ContinuousClock.now
        let draw = state.withLock { state in
            if let last = state.lastDraw, now - last < interval, update.done < update.total { return false }
            state.lastDraw = now
            state.drawn = true
            return true
        }
        guard draw else { return }
        let line = ProgressLine(phase: update.phase, done: update.done, total: update.total, item: update.item)
        write("\r" + line.render(width: Self.columns()) + "\u{1B}[K")
    }

    /// Clears the line, so what is printed next starts on a clean one.
    func finish() {
        let drawn = state.withLock { state in
            defer { state.drawn = false }
            return state.drawn
        }
        if drawn { write("\r\u{1B}[K") }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// The width of the terminal on standard error, else $COLUMNS, else 80.
    private static func columns() -> Int {
        var window = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0 { return Int(window.ws_col) }
        return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 80
    }
}
