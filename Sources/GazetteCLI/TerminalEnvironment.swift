import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the terminal on standard output can do: its size, colour, hyperlinks, a pager.
/// The only place that asks the operating system; the renderer itself is pure.
enum TerminalEnvironment {
    enum Choice: String, CaseIterable {
        case auto, always, never
    }

    static var isTerminal: Bool { isatty(STDOUT_FILENO) != 0 }

    /// Columns and rows of the terminal on standard output, else $COLUMNS/$LINES, else 80×24.
    static func size() -> (columns: Int, rows: Int) {
        var window = winsize()
        if isTerminal, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0 {
            return (Int(window.ws_col), Int(window.ws_row))
        }
        let environment = ProcessInfo.processInfo.environment
        return (environment["COLUMNS"].flatMap(Int.init) ?? 80, environment["LINES"].flatMap(Int.init) ?? 24)
    }

    /// Colour on a terminal unless NO_COLOR is set (https://no-color.org) or TERM is dumb.
    static func wantsColor(_ choice: Choice) -> Bool {
        switch choice {
        case .always: return true
        case .never: return false
        case .auto:
            let environment = ProcessInfo.processInfo.environment
            return isTerminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
        }
    }

    /// OSC 8 hyperlinks where the terminal is known to show them; numbered links elsewhere.
    static func wantsHyperlinks(_ choice: Choice, color: Bool) -> Bool {
        switch choice {
        case .always: return true
        case .never: return false
        case .auto:
            guard color else { return false }
            let environment = ProcessInfo.processInfo.environment
            if environment["TMUX"] != nil { return false }  // tmux drops them unless configured to pass them
            if let vte = environment["VTE_VERSION"].flatMap(Int.init), vte >= 5000 { return true }
            let program = environment["TERM_PROGRAM"] ?? ""
            if ["iTerm.app", "WezTerm", "vscode", "ghostty"].contains(program) { return true }
            let term = environment["TERM"] ?? ""
            return ["kitty", "foot", "alacritty", "wezterm", "ghostty"].contains { term.contains($0) }
        }
    }

    /// Shows `text` through $PAGER (default `less -R`) when it is taller than the terminal;
    /// otherwise, or when there is no terminal or no pager, prints it.
    static func page(_ text: String, rows: Int, enabled: Bool) {
        let lines = text.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
        let pager = ProcessInfo.processInfo.environment["PAGER"] ?? "less -R"
        guard enabled, isTerminal, lines > rows, !pager.isEmpty, pager != "cat" else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", pager]
        let input = Pipe()
        process.standardInput = input
        do {
            try process.run()
        } catch {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        input.fileHandleForWriting.write(Data(text.utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
