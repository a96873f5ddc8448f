import FeedParsing
import Foundation
import GazetteModel
import GazetteTestSupport
import Testing

/// Article pages in the shapes news sites write them: the sample site's five (Yoast JSON-LD,
/// OpenGraph only, microdata, visible text only, Hebrew in windows-1255) and the fixtures.
@Suite struct ArticleExtractorTests {
    static let site = "https://sample.israelhayom.test/2026/11/"
    static let rules = SiteRules(
        host: "sample.israelhayom.test", section: ".section-label", author: ".byline", date: ".entry-date",
        dateFormat: "dd-MM-yyyy HH:mm", timeZone: TimeZone(identifier: "Asia/Jerusalem"), sectionMap: ["Israel at War": "Israel"])

    private func samplePage(_ slug: String, rules: SiteRules? = nil) throws -> ArticleMetadata {
        let file = RepoPaths.sampleSite.appendingPathComponent("2026/11/\(slug)/index.html")
        return ArticleExtractor.extract(try Data(contentsOf: file), url: Self.site + slug + "/", rules: rules)
    }

    private func fixture(_ name: String, url: String = "https://site.sample.test/article/") throws -> ArticleMetadata {
        let file = try #require(Bundle.module.url(forResource: "pages/" + name, withExtension: nil, subdirectory: "Fixtures"))
        return ArticleExtractor.extract(try Data(contentsOf: file), url: url)
    }

    private func utc(_ text: String) -> Date? { FeedDate.parse(text) }

    @Test func wordpressWithYoastGraph() throws {
        let page = try samplePage("turkey-role-gaza-force")
        #expect(page.url == Self.site + "turkey-role-gaza-force/")
        #expect(page.title == "Turkey pushes for role in Gaza force despite Israeli veto")
        #expect(page.authors == ["Ariel Kahana"])
        #expect(page.section == ["News", "Middle East", "Peace Process", "Trump Plan"])  // Home and the article dropped
        #expect(page.tags == ["Azerbaijan", "international stabilization force", "ISF", "Israel", "Turkey"])
        #expect(page.publishedAt == utc("2026-11-26T13:22:00Z"))
        #expect(page.modifiedAt == utc("2026-11-26T14:05:00Z"))
        #expect(page.image?.url == "https://sample.israelhayom.test/wp-content/uploads/2026/11/erdogan-ankara.jpg")
        #expect(page.image?.caption == "נשיא טורקיה רג'פ טאיפ ארדואן באנקרה")  // entity decoded
        #expect(page.image?.alt == "Recep Tayyip Erdoğan in Ankara")  // from the resized <img> of the same file
        #expect(page.language == "en-US")
        #expect(page.direction == .ltr)
        #expect(page.warnings.isEmpty)
    }

    @Test func theVisibleDateGivesTheDayAndTheSitesRuleTheHour() throws {
        // The Blue Line page says only "Published on 25-11-2026 18:05" (Jerusalem time):
        // generic reading finds the day; the site's pattern and zone make it the instant.
        let generic = try samplePage("jerusalem-light-rail-blue-line")
        #expect(generic.publishedAt == utc("2026-11-25T00:00:00Z"))
        #expect(generic.authors == ["Noa Shapiro"])  // the byline element, "By " removed
        #expect(generic.section.isEmpty)
        let ruled = try samplePage("jerusalem-light-rail-blue-line", rules: Self.rules)
        #expect(ruled.publishedAt == utc("2026-11-25T16:05:00Z"))
        #expect(ruled.section == ["Local", "Jerusalem"])
        #expect(ruled.summary?.hasPrefix("Emek Refaim Street will close") == true)
    }

    @Test func openGraphOnlyAndASectionMap() throws {
        let page = try samplePage("reservists-return-north", rules: Self.rules)
        #expect(page.url == Self.site + "reservists-return-north/")  // utm_source removed
        #expect(page.authors == ["Yael Ben-David"])
        #expect(page.section == ["Israel"])  // "Israel at War" merged by the site's map
        #expect(page.tags == ["IDF", "Reservists", "Northern Israel"])
        #expect(page.publishedAt == utc("2026-11-26T07:10:00Z"))
        #expect(page.image == PageImage(
            url: "https://sample.israelhayom.test/wp-content/uploads/2026/11/reservists.jpg", alt: "Reservists at a bus stop near Kiryat Shmona"))
    }

    @Test func microdataBreadcrumbsTimeAndATagsBlock() throws {
        let page = try samplePage("shekel-strongest-in-decade")
        #expect(page.section == ["Business", "Economy"])
        #expect(page.authors == ["Dana Levi"])
        #expect(page.publishedAt == utc("2026-11-26T06:45:00Z"))
        #expect(page.tags == ["Shekel", "Bank of Israel"])
    }

    @Test func hebrewInWindows1255RightToLeft() throws {
        let page = try samplePage("knesset-draft-law-vote")
        #expect(page.title == "הכנסת מצביעה היום על חוק הגיוס")
        #expect(page.section == ["חדשות", "פוליטי"])  // "ראשי" (home) and the article dropped
        #expect(page.authors == ["עמית סגל"])  // "מאת" removed
        #expect(page.tags == ["הכנסת", "חוק הגיוס"])
        #expect(page.image?.caption == "מליאת הכנסת, ארכיון | צילום: אורן בן חקון")
        #expect(page.language == "he")
        #expect(page.direction == .rtl)
    }

    @Test func jsonLDAsAnArrayWithStringsAndEntities() throws {
        let page = try fixture("jsonld-array-and-strings.html")
        #expect(page.title == "Gaza & the ISF: what we know")
        #expect(page.authors == ["Ariel Kahana"])
        #expect(page.tags == ["Turkey", "ISF", "Gaza Strip"])
        #expect(page.section == ["News", "Middle East"])
        #expect(page.image?.url == "https://site.sample.test/a.jpg")
        #expect(page.summary == "An explainer – updated.")
        #expect(page.publishedAt == utc("2026-11-26T13:22:00Z"))
    }

    @Test func nestedAuthorsReferencesAndHugeNumbers() throws {
        let page = try fixture("jsonld-nested-authors.html")
        #expect(page.authors == ["Noa Barak", "Yossi Levi"])
        #expect(page.tags == ["Economy", "Shekel"])
        #expect(page.url == "https://site.sample.test/two-writers/")
        #expect(page.publishedAt == utc("2026-11-25T00:00:00Z"))
    }

    @Test func brokenPagesGiveWhatTheyCanWithAWarning() throws {
        let page = try fixture("broken.html")
        #expect(page.title == "Broken page & more")  // the site name after " | " removed
        #expect(page.summary == "Still has a description")
        #expect(page.authors == ["Someone Here"])
        #expect(page.warnings == ["a JSON-LD block is not valid JSON; ignored"])
        let empty = try fixture("no-metadata.html")
        #expect(empty.title == nil && empty.section.isEmpty && empty.tags.isEmpty && empty.image == nil)
        let nothing = ArticleExtractor.extract(Data(), url: "https://site.sample.test/")
        #expect(nothing.warnings == ["the page is empty or not HTML"])
    }

    @Test func hugePagesAndDeepNestingAreBounded() {
        let deep = "<html><head><title>Deep</title></head><body>" + String(repeating: "<div>", count: 10_000) + "x</body></html>"
        #expect(ArticleExtractor.extract(Data(deep.utf8), url: "https://site.sample.test/").title == "Deep")
        let padding = String(repeating: "<p>filler filler filler filler filler filler filler filler</p>\n", count: 90_000)
        let huge = "<html><head><title>Huge</title></head><body>" + padding + "</body></html>"
        let page = ArticleExtractor.extract(Data(huge.utf8), url: "https://site.sample.test/")
        #expect(page.title == "Huge")
        #expect(page.warnings.contains { $0.contains("only its start was read") })
        let cyclic = """
            <script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","@id":"#a","author":{"@id":"#p"},"headline":"Loop"},
            {"@type":"Person","@id":"#p","name":{"@id":"#p"},"knows":{"@id":"#a"}}]}</script>
            """
        let loop = ArticleExtractor.extract(Data(cyclic.utf8), url: "https://site.sample.test/")
        #expect(loop.title == "Loop")
        #expect(loop.authors.isEmpty)
    }

    @Test(arguments: [
        ("nav.breadcrumbs a", "//nav[contains(concat(' ', normalize-space(@class), ' '), ' breadcrumbs ')]//a"),
        ("#byline", "//*[@id='byline']"),
        ("div > span[itemprop=author]", "//div/span[@itemprop='author']"),
        ("a[rel*=tag], .tags a", "//a[contains(@rel, 'tag')] | //*[contains(concat(' ', normalize-space(@class), ' '), ' tags ')]//a"),
        ("//span[@class='date']", "//span[@class='date']"),
    ])
    func selectorsCompileToXPath(css: String, xpath: String) {
        #expect(Selector.xpath(css) == xpath)
    }

    @Test func visibleDatesFollowTheSitesPatternAndZone() {
        let jerusalem = TimeZone(identifier: "Asia/Jerusalem")
        #expect(VisibleDate.parse("Published on 12-11-2025 15:22", format: "dd-MM-yyyy HH:mm", timeZone: jerusalem) == FeedDate.parse("2025-11-12T13:22:00Z"))
        #expect(VisibleDate.parse("עודכן: 26.11.2026, 07:05", format: "dd.MM.yyyy, HH:mm", timeZone: jerusalem) == FeedDate.parse("2026-11-26T05:05:00Z"))
        #expect(VisibleDate.parse("Nov 3, 2026", format: "MMM d, yyyy", timeZone: TimeZone(identifier: "UTC")) == FeedDate.parse("2026-11-03T00:00:00Z"))
        #expect(VisibleDate.parse("no date here", format: "dd-MM-yyyy HH:mm", timeZone: jerusalem) == nil)
    }

    @Test func newsSitemapsAndSitemapIndexes() throws {
        let data = try Data(contentsOf: try #require(Bundle.module.url(forResource: "pages/sitemap-news.xml", withExtension: nil, subdirectory: "Fixtures")))
        let (document, warnings) = try Sitemap.parse(data, baseURL: "https://site.sample.test/sitemap.xml")
        #expect(warnings.isEmpty)
        guard case .urls(let items) = document else { Issue.record("expected a urlset"); return }
        #expect(items.map(\.link) == ["https://site.sample.test/2026/11/one/", "https://site.sample.test/2026/11/two/"])
        #expect(items[0].title == "שלום & ברכה")
        #expect(items[0].publishedAt == FeedDate.parse("2026-11-26T06:00:00Z"))
        #expect(items[0].categories.map(\.term) == ["Knesset", "Budget"])
        #expect(items[0].language == "he")
        #expect(items[0].imageURL == "https://site.sample.test/one.jpg")
        #expect(items[1].publishedAt == FeedDate.parse("2026-11-25"))
        let index = try Data(contentsOf: try #require(Bundle.module.url(forResource: "pages/sitemap-index.xml", withExtension: nil, subdirectory: "Fixtures")))
        guard case .index(let children) = try Sitemap.parse(index, baseURL: nil).document else { Issue.record("expected an index"); return }
        #expect(children == [
            "https://site.sample.test/sitemap-2026-11.xml", "https://site.sample.test/sitemap-2026-10.xml",
            "https://site.sample.test/sitemap-misc.xml",
        ])
    }

    @Test func aSectionPageListsItsArticleLinks() throws {
        let html = """
            <html><body><nav><a href="/about/">About</a></nav>
            <div class="river"><article><h2><a href="/2026/11/a/">A</a></h2></article>
            <article><h2><a href="https://sample.israelhayom.test/2026/11/b/#comments">B</a></h2></article>
            <article><h2><a href="/2026/11/a/">A again</a></h2></article></div></body></html>
            """
        let links = try LinkListing.links(inHTML: Data(html.utf8), baseURL: "https://sample.israelhayom.test/news/", selector: ".river article h2 a")
        #expect(links == ["https://sample.israelhayom.test/2026/11/a/", "https://sample.israelhayom.test/2026/11/b/"])
    }

    @Test func mergingKeepsTheFeedsWordsAndTakesThePagesStructure() {
        let feedArticle = Article(
            sourceName: "s", guid: "g", url: "https://x.sample.test/a/", title: "Feed title", summary: "Feed summary",
            section: SectionPath(components: ["News"]), tags: ["Feed tag"], firstSeenAt: Date())
        var page = ArticleMetadata()
        page.title = "Page title"
        page.section = ["News", "Middle East"]
        page.authors = ["Ariel Kahana"]
        page.publishedAt = Date(timeIntervalSince1970: 1_795_676_400)
        let merged = feedArticle.merging(page)
        #expect(merged.title == "Feed title")
        #expect(merged.section.components == ["News", "Middle East"])
        #expect(merged.tags == ["Feed tag"])  // the page had none
        #expect(merged.authors == ["Ariel Kahana"])
        #expect(merged.publishedAt == page.publishedAt)
        page.tags = ["Turkey"]
        #expect(feedArticle.merging(page).tags == ["Turkey"])
    }

    @Test func aliasesRenameAndMergeNames() {
        let aliases = NameAliases(["Israel at War": "Israel", "IDF": "Israel Defense Forces"])
        #expect(aliases.section(SectionPath(components: ["News", "israel  at war"])).components == ["News", "Israel"])
        #expect(aliases.section(SectionPath(components: ["Israel", "Israel at War"])).components == ["Israel"])
        #expect(aliases.tags(["idf", "Israel Defense Forces", "ISF"]) == ["Israel Defense Forces", "ISF"])
    }
}
