import FeedParsing
import Foundation
import GazetteModel
import Testing

/// Feeds as the world writes them (Tests/FeedParsingTests/Fixtures): HTML entities in XML,
/// bylines mixing names and addresses, Dublin Core terms, full text beside summaries, RSS
/// 0.90, dates in every documented form and links with non-ASCII characters. The expected
/// values are what Universal Feed Parser documents for each case.
@Suite struct FeedConformanceTests {
    private func parse(_ name: String, baseURL: String = "https://fixture.sample.test/feed") throws -> ParsedFeed {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
        return try FeedParser.parse(try Data(contentsOf: url), baseURL: baseURL)
    }

    // MARK: - HTML entities

    @Test func htmlEntitiesInTextKeepTheirCharactersAndTheSpaceAroundThem() throws {
        let feed = try parse("rss20-html-entities.xml")
        #expect(feed.title == "Café Society – Weekly")
        #expect(feed.subtitle == "News & views")
        try #require(feed.items.count == 3)
        #expect(feed.items[0].title == "testing á entity")
        #expect(feed.items[0].summary == "It’s the end… or is it? © 2026")
        #expect(feed.items[1].title == "Prices in € and £, ½ off")
    }

    @Test func htmlEntitiesInAttributesAndLinksAreDecoded() throws {
        let feed = try parse("rss20-html-entities.xml")
        #expect(feed.items[0].link == "https://entities.sample.test/search?q=caf%C3%A9&page=2")
        #expect(feed.items[1].enclosures.first?.url == "https://entities.sample.test/pr%C3%A9sentation.mp3")
        #expect(feed.items[1].link == "https://entities.sample.test/sale?a=1&b=2")  // a bare '&' kept
    }

    @Test func cdataAndCommentsAreLeftAsWritten() throws {
        let feed = try parse("rss20-html-entities.xml")
        // Inside CDATA the entities are HTML's own, decoded by the HTML reading of the summary.
        #expect(feed.items[1].summary == "Written  as HTML: élève".replacingOccurrences(of: "  ", with: " "))
        #expect(feed.items[2].title == "AT&T and &bogus; stay as written")
        #expect(feed.items[2].summary == "bold “quoted”")
    }

    @Test func aFeedWithHTMLEntitiesIsFlaggedAsIllFormedOnce() throws {
        let feed = try parse("rss20-html-entities.xml")
        let flags = feed.warnings.filter { $0.hasPrefix("recovered from ill-formed XML") }
        #expect(flags.count == 1)
        #expect(flags.first?.contains("&eacute;") == true)
    }

    @Test func aDoctypeNamingAnUnreadDTDDoesNotLoseTheEntities() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
            <rss version="0.91"><channel><title>Caf&eacute;</title><link>https://n.sample.test/</link>
            <item><title>Cr&egrave;me br&ucirc;l&eacute;e</title><link>https://n.sample.test/1</link></item></channel></rss>
            """
        let feed = try FeedParser.parse(Data(xml.utf8))
        #expect(feed.title == "Café")
        #expect(feed.items.first?.title == "Crème brûlée")
    }

    @Test func aWellFormedFeedIsNotFlagged() throws {
        let feed = try parse("rss20-content-precedence.xml")
        #expect(feed.warnings.isEmpty)
    }

    @Test func atomTextHTMLAndAttributesInALatin1Document() throws {
        let feed = try parse("atom10-html-entities.xml")
        #expect(feed.title == "L’actualité")
        let entry = try #require(feed.items.first)
        #expect(entry.title == "Naïve café culture")
        #expect(entry.link == "https://atom-entities.sample.test/caf%C3%A9")
        #expect(entry.authors == ["Renée Dupré"])
        #expect(entry.categories.map(\.term) == ["cinéma"])
        #expect(entry.summary == "« Bonjour » — dit-il")
    }

    // MARK: - Authors, Dublin Core terms, content

    @Test func theNameIsTheAuthorWhateverTheAddressAroundIt() throws {
        let feed = try parse("rss20-authors.xml")
        #expect(feed.authors == ["Dana Levi"])
        #expect(feed.items.map(\.authors) == [["Jo Cohen"], ["Jo Cohen"], ["jo@authors.sample.test"], ["Noa Bar"], ["Jo Cohen"]])
    }

    @Test func dctermsIssuedAndModifiedAreTheItemsDates() throws {
        let feed = try parse("rss10-dcterms.rdf")
        let item = try #require(feed.items.first)
        #expect(item.publishedAt == Date(timeIntervalSince1970: 1_072_865_695))
        #expect(item.updatedAt == Date(timeIntervalSince1970: 1_073_048_400))
    }

    @Test func atomEntriesWithOnlyDublinCoreDates() throws {
        let items = try parse("atom10-dcterms.xml").items
        try #require(items.count == 2)
        #expect(items[0].publishedAt == Date(timeIntervalSince1970: 1_072_865_695))
        #expect(items[0].updatedAt == Date(timeIntervalSince1970: 1_073_048_400))
        #expect(items[1].publishedAt == Date(timeIntervalSince1970: 1_070_236_800))
    }

    @Test func fullTextIsTheContentAndTheDescriptionTheSummary() throws {
        let items = try parse("rss20-content-precedence.xml").items
        try #require(items.count == 5)
        #expect(items[0].summaryHTML == "The short version.")
        #expect(items[0].contentHTML == "<p>The <strong>long</strong> version.</p>")
        // No description: the full text is the summary too.
        #expect(items[1].summaryHTML == "<p>Only the full text.</p>")
        #expect(items[1].contentHTML == "<p>Only the full text.</p>")
        #expect(items[2].summaryHTML == "A summary beside an XHTML body.")
        #expect(items[4].summaryHTML == "<p>Only <em>XHTML</em>.</p>")  // feedparser copies XHTML too
        #expect(items[4].contentHTML == "<p>Only <em>XHTML</em>.</p>")
        #expect(items[2].contentHTML == "<p>Body in <b>XHTML</b>.</p>")
        #expect(items[3].summaryHTML == "<p>Just a description.</p>")
        #expect(items[3].contentHTML == nil)
    }

    // MARK: - Versions, dates, links

    @Test func rss090IsToldApartFromLaterVersions() throws {
        #expect(try parse("rss090.rdf").format == .rss090)
        #expect(try parse("rss091.xml").format == .rss09)
        #expect(try parse("rss10-dcterms.rdf").format == .rss10)
    }

    @Test func everyDocumentedDateFormInAFeed() throws {
        let feed = try parse("rss20-dates-in-the-wild.xml")
        let expected: [String: Int] = [
            "asctime": 1_073_233_746, "asctime-zone": 1_073_262_546, "et": 1_075_152_660, "met": 1_075_127_460,
            "etc": 1_075_134_660, "military": 1_075_091_460, "year": 1_041_379_200, "month": 1_070_236_800,
            "compact": 1_072_828_800, "two-digit": 1_072_828_800, "ordinal": 1_070_236_800, "short-ordinal": 1_070_236_800,
            "month-only": 1_070_236_800, "mssql": 1_089_331_018, "perforce": 1_158_322_793,
        ]
        #expect(feed.items.count == expected.count)
        for item in feed.items {
            let want = expected[item.title].map { Date(timeIntervalSince1970: TimeInterval($0)) }
            #expect(item.publishedAt == want, "\(item.title)")
        }
        #expect(feed.warnings.isEmpty)
    }

    @Test func relativeLinksWithNonASCIICharactersResolve() throws {
        let feed = try parse("atom10-relative-non-ascii.xml")
        try #require(feed.items.count == 2)
        let first = try #require(feed.items[0].link.flatMap(URL.init(string:)))
        #expect(first.host == "news.sample.test")
        #expect(first.path.removingPercentEncoding == "/he/חדשות/כתבה-1")
        let picture = "href=\"https://news.sample.test/%D7%AA%D7%9E%D7%95%D7%A0%D7%95%D7%AA/"
        #expect(feed.items[0].contentHTML?.contains(picture) == true)
        #expect(feed.items[1].link == "https://news.sample.test/caf%C3%A9/na%C3%AFve%20page")
    }
}
