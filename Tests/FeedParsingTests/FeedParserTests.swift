import FeedParsing
import Foundation
import GazetteModel
import GazetteTestSupport
import Testing

@Suite struct FeedParserTests {
    private func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    @Test func parsesTheSampleWordPressFeed() throws {
        let data = try Data(contentsOf: RepoPaths.sampleSite.appendingPathComponent("feed.xml"))
        let feed = try FeedParser.parse(data, baseURL: "https://sample.israelhayom.test/feed/")
        #expect(feed.format == .rss20)
        #expect(feed.items.count == 24)
        #expect(feed.ttlMinutes == 60)
        #expect(feed.items.allSatisfy { $0.link?.hasPrefix("https://sample.israelhayom.test/") == true })
        #expect(feed.items.allSatisfy { $0.publishedAt != nil })
        #expect(feed.items.allSatisfy { !$0.authors.isEmpty })
        let articles = feed.items.compactMap { $0.article(sourceName: "sample", seenAt: Date()) }
        #expect(articles.count == 24)
        #expect(articles.allSatisfy { !$0.section.isEmpty })
        #expect(articles.contains { $0.section == SectionPath(parsing: "News > Middle East > Peace Process") })
        #expect(articles.filter { $0.tags.contains("Turkey") }.count >= 4)
        // Section categories never leak into tags.
        #expect(!articles.contains { $0.tags.contains { $0.contains(">") } })
        // Hebrew survives parsing intact.
        #expect(feed.items.contains { $0.title.contains("שלב ב׳") })
    }

    @Test func parsesTheSampleAtomFeed() throws {
        let data = try Data(contentsOf: RepoPaths.sampleSite.appendingPathComponent("opinions.atom"))
        let feed = try FeedParser.parse(data, baseURL: "https://sample.israelhayom.test/opinions/feed/")
        #expect(feed.format == .atom10)
        #expect(feed.items.count == 8)
        let articles = feed.items.compactMap { $0.article(sourceName: "opinions", seenAt: Date()) }
        #expect(articles.allSatisfy { $0.section.components.first == "Opinions" })
        #expect(articles.filter { $0.language == "he" }.count == 2)
    }

    @Test func readsRSSItemFields() throws {
        let xml = """
            <?xml version="1.0"?>
            <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
            <channel><title> Site </title><link>https://rss.sample.test/</link>
            <item>
              <title>Turkey pushes for role in Gaza force</title>
              <link>/2026/11/turkey/</link>
              <guid isPermaLink="false">https://rss.sample.test/?p=42</guid>
              <dc:creator><![CDATA[Ariel Kahana]]></dc:creator>
              <pubDate>Wed, 12 Nov 2025 15:22:00 +0200</pubDate>
              <category domain="category"><![CDATA[News > Middle East > Peace Process]]></category>
              <category domain="post_tag">Turkey</category>
              <category domain="post_tag">ISF</category>
              <description><![CDATA[<p>Ankara wants in.</p><p>Jerusalem says no &amp; means it.</p>]]></description>
            </item>
            </channel></rss>
            """
        let feed = try FeedParser.parse(Data(xml.utf8), baseURL: "https://rss.sample.test/feed/")
        let item = try #require(feed.items.first)
        #expect(feed.title == "Site")
        #expect(item.link == "https://rss.sample.test/2026/11/turkey/")
        #expect(item.guid == "https://rss.sample.test/?p=42")
        #expect(item.authors == ["Ariel Kahana"])
        #expect(item.summary == "Ankara wants in. Jerusalem says no & means it.")
        #expect(item.publishedAt == Date(timeIntervalSince1970: 1_762_953_720))
        let article = try #require(item.article(sourceName: "s", seenAt: Date()))
        #expect(article.section.components == ["News", "Middle East", "Peace Process"])
        #expect(article.tags == ["Turkey", "ISF"])
    }

    @Test func resolvesAtomRelativeLinksAndStripsMarkup() throws {
        let feed = try FeedParser.parse(try fixture("atom10-relative-links.xml"), baseURL: "https://atom.sample.test/feed.atom")
        #expect(feed.title == "Sample Blog")
        #expect(feed.items.count == 2)
        let first = feed.items[0]
        #expect(first.link == "https://atom.sample.test/blog/2026/11/relative/")
        #expect(first.authors == ["Noa Barak"])
        #expect(first.summary == "First paragraph.")  // the script's text is gone
        #expect(first.publishedAt == FeedDate.parse("2026-11-25T06:10:00Z"))
        let article = try #require(first.article(sourceName: "a", seenAt: Date()))
        #expect(article.section.description == "Opinions > Columnists")
        #expect(article.tags == ["Turkey"])
        let second = feed.items[1]
        #expect(second.link == "https://other.sample.test/post/2")
        #expect(second.title == "XHTML title")
        #expect(second.publishedAt == FeedDate.parse("2026-11-24T10:00:00Z"))
    }

    @Test func decodesWindows1255FromTheXMLDeclaration() throws {
        let feed = try FeedParser.parse(try fixture("rss-windows-1255.xml"))
        #expect(feed.title == "חדשות")
        #expect(feed.items.first?.title == "שלום עולם")
        let article = try #require(feed.items.first?.article(sourceName: "he", seenAt: Date()))
        #expect(article.section.components == ["חדשות", "ארץ"])
    }

    @Test func rejectsWhatIsNotAFeed() {
        #expect(throws: FeedParseError.empty) { try FeedParser.parse(Data()) }
        #expect(throws: FeedParseError.unrecognizedFormat(rootElement: "html")) {
            try FeedParser.parse(Data("<html><body><p>Error 500</p></body></html>".utf8))
        }
        #expect {
            try FeedParser.parse(Data("this is not xml at all".utf8))
        } throws: { error in
            guard case .notWellFormed(let line, _) = error as? FeedParseError else { return false }
            return line == 1
        }
    }

    @Test func neverReadsExternalEntities() throws {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-xxe-\(UUID().uuidString)")
        try "TOP-SECRET".write(to: secret, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: secret) }
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://\(secret.path)">]>
            <rss version="2.0"><channel><title>t</title>
            <item><title>&xxe;</title><link>https://x.sample.test/1</link></item></channel></rss>
            """
        let feed = try FeedParser.parse(Data(xml.utf8))
        #expect(!(feed.items.first?.title.contains("TOP-SECRET") ?? false))
    }
}
