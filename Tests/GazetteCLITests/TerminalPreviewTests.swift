import Foundation
import GazetteTestSupport
import Mailing
import Testing

/// `gazette preview` in a real terminal (tmux) at 40, 80 and 120 columns, with and without
/// colour, over the sample site with its Hebrew and long titles.
@Suite(.enabled(if: TmuxSession.isAvailable, "needs tmux"), .serialized)
struct TerminalPreviewTests {
    static let folder: TemporaryDirectory = {
        // One store for every case: fetched once, never sent, so the preview always has the 32 articles.
        guard let folder = try? TemporaryDirectory("gazette-tmux") else { fatalError("no temporary folder") }
        _ = try? TestConfig.write(in: folder.url, top: ["database = \"gazette.sqlite\"", "timezone = \"Asia/Jerusalem\""])
        _ = try? GazetteBinary.run(["fetch"], in: folder.url)
        return folder
    }()

    private func screen(columns: Int, color: Bool) throws -> (plain: String, styled: String) {
        let session = TmuxSession()
        var environment = ["TERM": "xterm-256color", "LANG": "C.UTF-8"]
        environment["NO_COLOR"] = color ? "" : "1"
        try session.run(
            "cd '\(Self.folder.url.path)' && '\(GazetteBinary.url.path)' preview --no-pager", columns: columns, rows: 400,
            environment: environment, until: "Unsubscribe:")
        return (try session.capture(escapes: false), try session.capture(escapes: true))
    }

    @Test(arguments: [40, 80, 120])
    func wrapsToTheTerminalWidthWithColour(columns: Int) throws {
        let (plain, styled) = try screen(columns: columns, color: true)
        let lines = plain.split(separator: "\n", omittingEmptySubsequences: false)
        // Nothing needed the terminal to wrap it: every line fits, measured by display width.
        // URLs are never broken, so only a line holding one may run past the edge.
        for line in lines where !line.contains("://") && !line.contains("mailto:") {
            #expect(DisplayWidth.of(line) <= columns, "\(DisplayWidth.of(line)) columns: \(line)")
        }
        // The subject leads with the top story (the list's default `subject`).
        #expect(plain.contains("Subject: Ben-Gurion Airport"))
        #expect(plain.contains("32 articles · HTML"))
        #expect(plain.contains("NEWS > MIDDLE EAST"))
        // The Hebrew title is there, whole, in its own order.
        #expect(plain.contains("שלב ב׳"))
        // Bold titles and dim details.
        #expect(styled.contains("\u{1B}[1m"))
        #expect(styled.contains("\u{1B}[2m"))
        // A long title wraps at a word, its continuation indented under the title.
        let title = "Ben-Gurion Airport \"Fast & Smooth\" plan promises shorter lines"
        if DisplayWidth.of(title) + 4 > columns {
            let first = try #require(lines.firstIndex { $0.contains("Ben-Gurion") && !$0.hasPrefix("Subject:") })
            #expect(lines[first + 1].hasPrefix("    "))
            #expect(!plain.contains(title))
        } else {
            #expect(plain.contains(title))
        }
    }

    @Test(arguments: [40, 80, 120])
    func noColourWhenNOCOLORIsSet(columns: Int) throws {
        let (plain, styled) = try screen(columns: columns, color: false)
        #expect(!styled.contains("\u{1B}["))
        #expect(plain.contains("LINKS"))  // without OSC 8, links are numbered references
        #expect(plain.contains("[1] https://sample.israelhayom.test/"))
        for line in plain.split(separator: "\n") where !line.contains("://") && !line.contains("mailto:") {
            #expect(DisplayWidth.of(line) <= columns, "\(DisplayWidth.of(line)) columns: \(line)")
        }
    }
}
