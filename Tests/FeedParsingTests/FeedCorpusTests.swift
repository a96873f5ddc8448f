import FeedParsing
import Foundation
import GazetteModel
import Testing

/// Every format, encoding and quirk in the fixture corpus (Tests/FeedParsingTests/Fixtures).
@Suite struct FeedCorpusTests {
    private func parse(_ name: String, baseURL: String? = nil, contentType: String? = nil) throws -> ParsedFeed {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
        return try FeedParser.parse(try Data(contentsOf: url), baseURL: baseURL ?? "https://fixture.sample.test/feed", contentType: contentType)
    }

    private func utc(_ text: String) -> Date? { FeedDate.parse(text) }

    // MARK: - Formats

    @Test func rss091WithItsNetscapeDoctype() throws {
        let feed = try parse("rss091.xml")
        #expect(feed.format == .rss09)
        #expect(feed.title == "Old Gazette")
        #expect(feed.language == "en-us")
        #expect(feed.authors == ["Dana Levi"])
        #expect(feed.items.first?.title == "Still \"here\" after all these years")  // escaped twice, decoded
    }

    @Test func rss092EnclosuresAndEscapedDescriptions() throws {
        let feed = try parse("rss092.xml")
        #expect(feed.format == .rss09)
        let item = try #require(feed.items.first)
        #expect(item.enclosures == [FeedEnclosure(url: "https://pod.sample.test/1.mp3", type: "audio/mpeg", length: 1_234_567)])
        #expect(item.summary == "The first episode.")
        #expect(item.summaryHTML == "<p>The first <b>episode</b>.</p>")
        #expect(item.imageURL == nil)  // an audio enclosure is not a picture
    }

    @Test func rss090() throws {
        let feed = try parse("rss090.rdf")
        #expect(feed.format == .rss090)
        #expect(feed.items.map(\.title) == ["New Status Updates", "Bugzilla Reorganized"])
    }

    @Test func rss10WithDublinCore() throws {
        let feed = try parse("rss10.rdf")
        #expect(feed.format == .rss10)
        #expect(feed.language == "he")
        #expect(feed.updatedAt == utc("2026-11-26T04:00:00Z"))
        let item = try #require(feed.items.first)
        #expect(item.guid == "https://rdf.sample.test/a")
        #expect(item.authors == ["Yael Cohen"])
        #expect(item.publishedAt == utc("2026-11-26T03:30:00Z"))
        #expect(item.contentHTML == "<p>After a <em>late-night</em> vote…</p>")
        #expect(item.categories.map(\.term) == ["Politics"])
    }

    @Test func rss20WordPressWithExtensions() throws {
        let feed = try parse("rss20-wordpress.xml", baseURL: "https://wp.sample.test/feed/")
        #expect(feed.format == .rss20)
        #expect(feed.ttlMinutes == 30)
        #expect(feed.subtitle == "News & analysis")
        #expect(feed.updatedAt == utc("2026-11-26T07:30:00Z"))
        let item = try #require(feed.items.first)
        #expect(item.title == "Turkey pushes for role in Gaza force – despite veto")
        #expect(item.link == "https://wp.sample.test/2026/11/26/turkey-role/?utm_source=rss&utm_medium=rss&ref=home#comments")
        #expect(item.authors == ["Ariel Kahana"])
        #expect(item.imageURL == "https://wp.sample.test/wp-content/uploads/erdogan.jpg")
        #expect(item.imageCaption == "נשיא טורקיה ארדואן")
        #expect(item.enclosures.first?.length == 52_000)
        // Sanitized: no script, no handler, no javascript: link, no style, no iframe; links absolute.
        #expect(item.summaryHTML == "<p>Ankara wants in.</p><a>click</a> <a href=\"https://wp.sample.test/more\">more</a>")
        let content = try #require(item.contentHTML)
        #expect(content.contains("<img src=\"https://wp.sample.test/wp-content/uploads/erdogan.jpg\" alt=\"Erdoğan\">"))
        #expect(content.contains("<figcaption>נשיא טורקיה</figcaption>"))
        for banned in ["onerror", "style=", "iframe", "evil.test", "script"] { #expect(!content.contains(banned)) }
        #expect(feed.items[1].title == "AT&T <3 5G")
    }

    @Test func atom03() throws {
        let feed = try parse("atom03.xml")
        #expect(feed.format == .atom03)
        #expect(feed.subtitle == "An old format")
        #expect(feed.updatedAt == utc("2026-11-25T10:00:00Z"))
        #expect(feed.authors == ["Old Author"])
        let entry = try #require(feed.items.first)
        #expect(entry.link == "https://atom03.sample.test/1")
        #expect(entry.publishedAt == utc("2026-11-25T08:00:00Z"))
        #expect(entry.contentHTML == "<p>Hello <b>old</b> world</p>")
    }

    @Test func atom10ResolvesAgainstNestedXMLBase() throws {
        let feed = try parse("atom10-xmlbase.xml", baseURL: "https://elsewhere.sample.test/feed.atom")
        #expect(feed.format == .atom10)
        #expect(feed.title == "Base Blog")
        #expect(feed.siteURL == "https://base.sample.test/blog/")
        #expect(feed.language == "he")
        let entry = try #require(feed.items.first)
        #expect(entry.title == "Entry one")
        #expect(entry.link == "https://base.sample.test/blog/posts/one.html")
        #expect(entry.enclosures == [FeedEnclosure(url: "https://base.sample.test/audio/one.mp3", type: "audio/mpeg", length: 1000)])
        #expect(entry.summaryHTML == "<p>See <a href=\"https://base.sample.test/blog/posts/two.html\">two</a>.</p>")
        #expect(entry.contentHTML?.contains("href=\"https://base.sample.test/blog/posts/three.html\"") == true)
        #expect(entry.contentHTML?.contains("src=\"https://base.sample.test/blog/posts/pic.png\" alt=\"תמונה\"") == true)
        #expect(entry.publishedAt == utc("2026-11-26T04:30:00Z"))
        #expect(entry.updatedAt == utc("2026-11-26T07:00:00Z"))
        #expect(entry.authors == ["Noa Barak"])
    }

    @Test func jsonFeed11() throws {
        let feed = try parse("json11.json", baseURL: "https://json.sample.test/feed.json")
        #expect(feed.format == .json11)
        #expect(feed.title == "JSON Gazette")
        #expect(feed.authors == ["Desk"])
        #expect(feed.language == "he")
        let first = feed.items[0]
        #expect(first.title == "שלום & ברכה")
        #expect(first.contentHTML == "<p>Hello <b>world</b></p>")
        #expect(first.imageURL == "https://json.sample.test/img/2.jpg")
        #expect(first.publishedAt == utc("2026-11-26T06:00:00Z"))
        #expect(first.categories.map(\.term) == ["Turkey", "ISF"])
        #expect(first.enclosures == [FeedEnclosure(url: "https://json.sample.test/2.mp3", type: "audio/mpeg", length: 2048)])
        let second = feed.items[1]
        #expect(second.guid == "3")
        #expect(second.link == "https://elsewhere.sample.test/3")
        #expect(second.contentHTML == "<p>Plain text</p><p>Second paragraph</p>")
        #expect(second.publishedAt == nil)
        #expect(feed.warnings.contains { $0.contains("not a date") })
    }

    @Test func jsonFeed10() throws {
        let feed = try parse("json10.json")
        #expect(feed.format == .json10)
        #expect(feed.authors == ["Solo Writer"])
        #expect(feed.items.first?.authors == ["Solo Writer"])
    }

    // MARK: - Encodings

    @Test(arguments: [
        ("enc-iso-8859-8.xml", "חדשות - שלום"), ("rss-windows-1255.xml", "חדשות"),
        ("enc-utf-16le-bom.xml", "חדשות – שלום"), ("enc-utf-16be-bom.xml", "חדשות – שלום"), ("enc-utf-8-bom.xml", "חדשות – שלום"),
        ("enc-windows-1252.xml", "Café “quoted” €5 déjà vu"), ("enc-iso-8859-1.xml", "Café déjà vu"),
    ])
    func everyEncodingComesOutAsUTF8(name: String, title: String) throws {
        let feed = try parse(name)
        #expect(feed.title == title)
        #expect(feed.warnings.isEmpty)
    }

    @Test func aFeedThatLiesAboutUTF8IsReadAsWindows1252WithAWarning() throws {
        let feed = try parse("enc-lying-utf-8.xml")
        #expect(feed.title == "Café “quoted” €5 déjà vu")
        #expect(feed.warnings.contains { $0.contains("windows-1252") })
    }

    @Test func theHTTPCharsetBeatsTheDeclarationButNotABOM() throws {
        // Declared windows-1252, served as ISO-8859-1: both decode these bytes the same way
        // except 0x80–0x9F; the euro sign shows which one was used.
        let latin = try parse("enc-windows-1252.xml", contentType: "application/rss+xml; charset=windows-1252")
        #expect(latin.title.contains("€"))
        let bom = try parse("enc-utf-8-bom.xml", contentType: "text/xml; charset=iso-8859-1")
        #expect(bom.title == "חדשות – שלום")
    }

    // MARK: - Dates, identity, broken input

    @Test func everyDateFormIsReadAndABadOneIsAWarningNotALoss() throws {
        let feed = try parse("dates.xml")
        #expect(feed.items.count == 6)
        let expected = utc("2026-11-26T07:00:00Z")
        #expect(feed.items.prefix(5).allSatisfy { $0.publishedAt == expected })
        #expect(feed.items[5].publishedAt == nil)
        #expect(feed.warnings == ["'f': unreadable date 'sometime last week'; the time Gazette saw it is used instead"])
        #expect(feed.articles(sourceName: "d", seenAt: Date()).count == 6)
    }

    @Test func duplicateGUIDsFallBackToLinksAndLinklessItemsToAHash() throws {
        let feed = try parse("duplicate-guids.xml", baseURL: "https://dup.sample.test/feed")
        #expect(feed.warnings.contains { $0.contains("'same'") })
        let articles = feed.articles(sourceName: "dup", seenAt: Date(), feedURL: "https://dup.sample.test/feed")
        try #require(articles.count == 3)
        #expect(articles[0].guid == "https://dup.sample.test/a")
        #expect(articles[1].guid == "https://dup.sample.test/b")
        #expect(articles[2].guid.hasPrefix("sha256:"))
        #expect(Set(articles.map(\.url)).count == 3)
    }

    @Test func theSameArticleThroughTwoFeedsHasOneURL() throws {
        let wordpress = try parse("rss20-wordpress.xml", baseURL: "https://wp.sample.test/feed/")
        let article = try #require(wordpress.articles(sourceName: "wp", seenAt: Date()).first)
        #expect(article.url == "https://wp.sample.test/2026/11/26/turkey-role/?ref=home")
        #expect(article.guid == "https://wp.sample.test/?p=1001")
        #expect(CanonicalURL.normalize("HTTPS://WP.Sample.Test:443/2026/11/26/turkey-role/?fbclid=abc&ref=home") == article.url)
    }

    @Test func anIllFormedFeedIsRecoveredWithAWarning() throws {
        let feed = try parse("ill-formed.xml")
        #expect(feed.title == "Sloppy & Sons")  // the stray '&' kept, not dropped
        #expect(feed.items.map(\.title) == ["One", "Two"])
        #expect(feed.warnings.contains { $0.hasPrefix("recovered from ill-formed XML") })
    }

    @Test func billionLaughsEndsQuicklyWithAnError() {
        var entities = "<!ENTITY lol0 \"lol\">"
        for level in 1...12 {
            entities += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">"
        }
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE rss [\(entities)]><rss version=\"2.0\"><channel><title>&lol12;</title></channel></rss>"
        let started = ContinuousClock.now
        let result = Result { try FeedParser.parse(Data(xml.utf8)) }
        #expect(ContinuousClock.now - started < .seconds(2))
        if case .success(let feed) = result { #expect(feed.title.count < 100_000) }
    }

    @Test func deepNestingIsBounded() {
        let xml = "<rss version=\"2.0\"><channel><title>deep</title><item><title>t</title><description>"
            + String(repeating: "&lt;div&gt;", count: 10_000) + "x</description></item></channel></rss>"
        // libxml2 stops building the tree at its depth limit; what matters is a quick, whole answer.
        let feed = try? FeedParser.parse(Data(xml.utf8))
        #expect(feed?.items.first?.summaryHTML != nil)
        let json = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: FeedParseError.unsafeDocument(reason: "JSON nested more than 64 levels deep")) {
            try FeedParser.parse(Data(json.utf8), contentType: "application/feed+json")
        }
    }

    @Test func aFiftyMegabyteAttributeEndsQuicklyWithoutTheMemoryOfACopyPerStep() {
        let huge = String(repeating: "a", count: 50 * 1_048_576)
        let xml = "<rss version=\"2.0\"><channel><title>t</title><item><title>x</title><link>https://x.sample.test/1</link>"
            + "<enclosure url=\"\(huge)\" type=\"image/jpeg\"/></item></channel></rss>"
        let started = ContinuousClock.now
        let result = Result { try FeedParser.parse(Data(xml.utf8)) }
        #expect(ContinuousClock.now - started < .seconds(10))
        // libxml2 refuses attribute values over 10 MB without XML_PARSE_HUGE; the recovered
        // document, if any, has no such enclosure.
        if case .success(let feed) = result { #expect(feed.items.allSatisfy { $0.enclosures.allSatisfy { $0.url.count < 10_000_000 } }) }
        let page = "<html><head><meta property=\"og:image\" content=\"\(huge)\"></head><body></body></html>"
        let metadata = ArticleExtractor.extract(Data(page.utf8), url: "https://x.sample.test/")
        #expect(metadata.warnings.contains { $0.contains("only its start was read") })
    }
}
