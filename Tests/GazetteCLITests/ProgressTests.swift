import Foundation
@testable import GazetteCLI
import GazetteTestSupport
import Mailing
import Testing

/// The progress line is pure: numbers in, one line out, never wider than the terminal allows.
@Suite struct ProgressLineTests {
    @Test func aBarWithCountsAndTheItemFitsTheWidth() {
        let line = ProgressLine(phase: "Fetching", done: 3, total: 12, item: "news").render(width: 80)
        #expect(line == "Fetching 3/12 [#######.......................] news")
        #expect(ProgressLine(phase: "Fetching", done: 12, total: 12, item: "").render(width: 80)
            == "Fetching 12/12 [##############################]")
        #expect(ProgressLine(phase: "Fetching", done: 0, total: 0, item: "").render(width: 80)
            == "Fetching 0/0 [..............................]")
    }

    @Test(arguments: [1, 5, 12, 20, 24, 40, 80, 200])
    func neverFillsTheLastColumn(width: Int) {
        let line = ProgressLine(phase: "Sending daily", done: 7, total: 250, item: "someone.with.a.long.address@example.org")
            .render(width: width)
        #expect(DisplayWidth.of(line) <= max(width - 1, 0), "\(line)")
    }

    @Test func theBarShrinksThenTheItemIsCutByDisplayWidth() {
        let line = ProgressLine(phase: "Fetching", done: 1, total: 2, item: "ישראל היום חדשות מהארץ ומהעולם").render(width: 40)
        #expect(line.hasPrefix("Fetching 1/2 ["))
        #expect(line.hasSuffix("…"))
        #expect(DisplayWidth.of(line) <= 39)
        // Too narrow for a bar: the numbers stay.
        #expect(ProgressLine(phase: "Fetching", done: 1, total: 2, item: "news").render(width: 16) == "Fetching 1/2")
        // More done than total (a retry) never overflows the bar.
        #expect(ProgressLine(phase: "Sending", done: 9, total: 4, item: "").render(width: 30) == "Sending 4/4 [###############]")
    }
}

/// The bar in a real pseudo-terminal (`script`), and never in a pipe or in JSON logs.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1)"))
struct TerminalProgressTests {
    /// Runs gazette on a pseudo-terminal and returns every byte it wrote there.
    private func onTerminal(_ arguments: [String], in folder: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        let command = ([GazetteBinary.url.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        process.arguments = ["-q", "-e", "-c", command, "/dev/null"]
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm-256color"
        environment["COLUMNS"] = "60"
        environment.removeValue(forKey: "GAZETTE_CONFIG")
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func aTerminalSeesTheBarRedrawnAndClearedAPipeNever() throws {
        let folder = try TemporaryDirectory("gazette-progress")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url)
        for email in ["dana@sample.test", "omer@sample.test"] {
            #expect(try GazetteBinary.run(["subscribers", "add", email], in: folder.url).status == 0)
        }
        let screen = try onTerminal(["run", "--force"], in: folder.url)
        #expect(screen.contains("\rFetching 2/2 ["), "\(screen.debugDescription)")
        #expect(screen.contains("\rSending daily 2/2 ["))
        #expect(screen.contains("\r\u{1B}[K"), "the bar is cleared at the end")
        // The summary starts on a clean line, after the last clearing.
        let summary = try #require(screen.range(of: "sources: 2"))
        let lastClear = try #require(screen.range(of: "\r\u{1B}[K", options: .backwards))
        #expect(lastClear.upperBound <= summary.lowerBound)

        let json = try onTerminal(["run", "--force", "--log-format", "json"], in: folder.url)
        #expect(!json.contains("Fetching "))
        #expect(!json.contains("\r\u{1B}[K"))

        let piped = try GazetteBinary.run(["run", "--force"], in: folder.url)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(!piped.stderr.contains("\r") && !piped.stdout.contains("\r"))
        #expect(!piped.stderr.contains("Fetching") && !piped.stderr.contains("\u{1B}["))
    }
}
