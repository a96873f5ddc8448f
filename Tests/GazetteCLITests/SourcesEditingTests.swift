import Foundation
import GazetteTestSupport
import Testing

/// An editor's source chores from the command line: OPML in and out, remove, disable and
/// enable (the config edited in place, comments kept), `sources --json` and its exit code.
@Suite struct SourcesEditingTests {
    static let opml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <opml version="2.0"><head><title>Exported from a feed reader</title></head><body>
          <outline text="News"><outline text="World">
            <outline type="rss" text="Israel Hayom" xmlUrl="https://www.israelhayom.com/feed/" htmlUrl="https://www.israelhayom.com/"/>
          </outline>
          <outline type="rss" text="Example &amp; Co" xmlUrl="https://example.org/rss.xml"/></outline>
          <outline type="rss" text="Loose" xmlUrl="https://loose.example/atom"/>
          <outline type="rss" text="Loose again" xmlUrl="https://loose.example/atom"/>
        </body></opml>
        """

    func config(in folder: TemporaryDirectory) throws -> String {
        try String(contentsOf: folder.url.appendingPathComponent("gazette.toml"), encoding: .utf8)
    }

    @Test func anOPMLFileImportsWithItsFoldersAndExportsBackTheSame() throws {
        let folder = try TemporaryDirectory("gazette-opml")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url, sources: [])
        try Self.opml.write(to: folder.url.appendingPathComponent("feeds.opml"), atomically: true, encoding: .utf8)
        let before = try config(in: folder)

        let dry = try GazetteBinary.run(["sources", "import", "feeds.opml", "--dry-run"], in: folder.url)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("3 source(s) would be added"))
        #expect(try config(in: folder) == before)

        let imported = try GazetteBinary.run(["sources", "import", "feeds.opml"], in: folder.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        let after = try config(in: folder)
        #expect(after.hasPrefix(before), "the config is appended to, not rewritten")
        #expect(after.contains("name = \"israelhayom\"\nfeed = \"https://www.israelhayom.com/feed/\"\nsite = \"https://www.israelhayom.com/\"\nbackfill = 0\nfolder = \"News / World\""))
        #expect(after.components(separatedBy: "[[sources]]").count == 4, "a feed listed twice is added once")
        // Importing again adds nothing and names what is already there.
        let again = try GazetteBinary.run(["sources", "import", "feeds.opml"], in: folder.url)
        #expect(again.status == 0)
        #expect(again.stdout.contains("already configured as 'loose'"))
        #expect(try config(in: folder) == after)

        // Exported, then read by Python's own XML parser: every feed, in its folders.
        let exported = try GazetteBinary.run(["sources", "export", "out.opml"], in: folder.url)
        #expect(exported.status == 0, "\(exported.stderr)")
        let outline = try Self.python(
            """
            import sys, xml.etree.ElementTree as ET
            def walk(node, path):
                for o in node.findall('outline'):
                    if o.get('xmlUrl'): print('/'.join(path) + '|' + o.get('xmlUrl'))
                    else: walk(o, path + [o.get('text')])
            walk(ET.parse(sys.argv[1]).getroot().find('body'), [])
            """, folder.path("out.opml"))
        #expect(Set(outline.split(separator: "\n").map(String.init)) == [
            "News/World|https://www.israelhayom.com/feed/", "News|https://example.org/rss.xml", "|https://loose.example/atom",
        ])
        // Never over an existing file without --force, never over a folder.
        #expect(try GazetteBinary.run(["sources", "export", "out.opml"], in: folder.url).status == 5)
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("dir"), withIntermediateDirectories: true)
        try "keep".write(to: folder.url.appendingPathComponent("dir/file.txt"), atomically: true, encoding: .utf8)
        #expect(try GazetteBinary.run(["sources", "export", "dir", "--force"], in: folder.url).status == 66)
        #expect(try String(contentsOf: folder.url.appendingPathComponent("dir/file.txt"), encoding: .utf8) == "keep")
    }

    @Test func importRefusesWhatIsNotOPMLWithOneLine() throws {
        let folder = try TemporaryDirectory("gazette-opml-bad")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url, sources: [])
        try "<rss version=\"2.0\"><channel/></rss>".write(to: folder.url.appendingPathComponent("feed.xml"), atomically: true, encoding: .utf8)
        let notOPML = try GazetteBinary.run(["sources", "import", "feed.xml"], in: folder.url)
        #expect(notOPML.status == 65)
        #expect(notOPML.stderr == "gazette: feed.xml: not an OPML file: its root element is <rss>, not <opml>\n")
        let missing = try GazetteBinary.run(["sources", "import", "nowhere.opml"], in: folder.url)
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("cannot read nowhere.opml"))
    }

    @Test func removeDisableAndEnableEditTheConfigInPlace() throws {
        let folder = try TemporaryDirectory("gazette-sources-edit")
        defer { folder.remove() }
        let file = try TestConfig.write(in: folder.url)
        // A comment the editor wrote above a source must survive every edit.
        var text = try config(in: folder)
        text = text.replacingOccurrences(of: "[[sources]]\nname = \"opinions\"", with: "# Opinion pieces, weekly.\n[[sources]]\nname = \"opinions\"")
        try text.write(to: file, atomically: true, encoding: .utf8)

        let disabled = try GazetteBinary.run(["sources", "disable", "news"], in: folder.url)
        #expect(disabled.status == 0, "\(disabled.stderr)")
        #expect(try config(in: folder).contains("name = \"news\"\nenabled = false\n"))
        let fetched = try GazetteBinary.run(["fetch"], in: folder.url)
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(!fetched.stdout.contains("news:"), "a disabled source is not fetched: \(fetched.stdout)")
        #expect(fetched.stdout.contains("opinions:"))
        let listed = try GazetteBinary.run(["sources", "--json"], in: folder.url)
        let states = try listed.stdout.split(separator: "\n").map { line in
            let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return "\(object["name"] ?? "")=\(object["state"] ?? "")"
        }
        #expect(Set(states) == ["news=disabled", "opinions=ok"])

        #expect(try GazetteBinary.run(["sources", "enable", "news"], in: folder.url).status == 0)
        #expect(try config(in: folder) == text, "enabling again gives back the file as it was")

        let removed = try GazetteBinary.run(["sources", "remove", "opinions"], in: folder.url)
        #expect(removed.status == 0, "\(removed.stderr)")
        let after = try config(in: folder)
        #expect(!after.contains("opinions.atom"))
        #expect(after.contains("name = \"news\""))
        #expect(after.contains("[[lists]]\nname = \"daily\""), "the table after it is untouched")
        let gone = try GazetteBinary.run(["sources"], in: folder.url)
        #expect(gone.stdout.contains("removed"), "still in the database, no longer configured: \(gone.stdout)")

        let unknown = try GazetteBinary.run(["sources", "remove", "nosuch"], in: folder.url)
        #expect(unknown.status == 67)
        #expect(unknown.stderr == "gazette: no source is named 'nosuch'; the sources are: news\n")
    }

    @Test func sourcesExitsWith3WhenASourceKeepsFailingAndGlobalOptionsMayComeFirst() throws {
        let folder = try TemporaryDirectory("gazette-sources-failing")
        defer { folder.remove() }
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("etc"), withIntermediateDirectories: true)
        try TestConfig.write(
            in: folder.url, sources: [("dead", "http://127.0.0.1:1/feed.xml")], top: ["database = \"../gazette.sqlite\""],
            file: "etc/news.toml")
        for _ in 1...3 { _ = try GazetteBinary.run(["--config", "etc/news.toml", "fetch", "--force"], in: folder.url) }
        // git-style: the global option before the subcommand.
        let listed = try GazetteBinary.run(["--config", "etc/news.toml", "sources"], in: folder.url)
        #expect(listed.status == 3, "\(listed.stdout) \(listed.stderr)")
        #expect(listed.stdout.contains("failing"))
        #expect(listed.stderr.contains("dead has failed 3 times in a row"))
        let json = try GazetteBinary.run(["sources", "--json", "--config=etc/news.toml"], in: folder.url)
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["consecutiveFailures"] as? Int == 3)
        #expect(object["state"] as? String == "failing")
    }

    static func python(_ script: String, _ argument: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, argument]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
