import FeedParsing
import Foundation
import Testing

/// One test per place a page keeps a piece of its metadata, each on a page that has only
/// that place, so each source is proven to be read on its own.
@Suite struct PageMetadataSourceTests {
    private func page(_ head: String, body: String = "", lang: String = "en", url: String = "https://news.sample.test/story")
        -> ArticleMetadata
    {
        let html = "<!DOCTYPE html><html lang=\"\(lang)\"><head><meta charset=\"utf-8\">\(head)</head><body>\(body)</body></html>"
        return ArticleExtractor.extract(Data(html.utf8), url: url)
    }

    private func day(_ date: Date?) -> String? {
        date.map { String(ISO8601DateFormatter().string(from: $0).prefix(10)) }
    }

    // MARK: - Publish date

    @Test(arguments: [
        (
            "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"2019-05-22T10:00:00Z\"}</script>",
            "JSON-LD"
        ),
        ("<meta property=\"article:published_time\" content=\"2019-05-22T10:00:00+02:00\">", "OpenGraph article"),
        ("<meta property=\"og:published_time\" content=\"2019-05-22\">", "og:published_time"),
        ("<meta name=\"parsely-pub-date\" content=\"2019-05-22T10:00:04Z\">", "Parse.ly"),
        ("<meta name=\"sailthru.date\" content=\"2019-05-22 14:05:00\">", "Sailthru"),
        ("<meta name=\"dc.date\" content=\"2019-05-22\">", "Dublin Core"),
        ("<meta name=\"DC.date.issued\" content=\"2019-05-22T06:00-07:00\">", "Dublin Core issued"),
        ("<meta name=\"pubdate\" content=\"2019-05-22\">", "pubdate"),
        ("<meta name=\"publish-date\" content=\"2019-05-22T16:30:00-05:00\">", "publish-date"),
        ("<meta itemprop=\"datePublished\" content=\"2019-05-22\">", "itemprop meta"),
        ("<meta name=\"parsely-page\" content='{\"title\":\"x\",\"pub_date\":\"2019-05-22T10:00:00Z\"}'>", "parsely-page JSON"),
    ])
    func publishDateFromMetadata(head: String, label: String) {
        #expect(day(page(head).publishedAt) == "2019-05-22", "\(label)")
    }

    @Test func publishDateFromItempropMarkupAndTimeElements() {
        #expect(
            day(
                page("", body: "<h1>T</h1><span itemprop=\"datePublished\" content=\"2017-06-30\">June 30, 2017</span>")
                    .publishedAt) == "2017-06-30")
        #expect(
            day(page("", body: "<h1>T</h1><time datetime=\"2016-01-12T09:00:00Z\">12 January 2016</time>").publishedAt)
                == "2016-01-12")
        // A <time> marked as the publish time wins over an earlier unmarked one.
        let marked = page(
            "", body: "<time datetime=\"2020-01-01\">x</time><h1>T</h1><time class=\"published\" datetime=\"2016-01-12\">y</time>"
        )
        #expect(day(marked.publishedAt) == "2016-01-12")
    }

    @Test func metadataIsTrustedOverTheURLAndTheURLOverVisibleText() {
        let url = "https://news.sample.test/politics/2019/05/22/budget-vote/"
        #expect(day(page("", url: url).publishedAt) == "2019-05-22")
        #expect(day(page("", body: "<h1>T</h1><p class=\"date\">June 3, 2020</p>", url: url).publishedAt) == "2019-05-22")
        #expect(day(page("<meta name=\"dc.date\" content=\"2019-05-21\">", url: url).publishedAt) == "2019-05-21")
        #expect(day(page("", url: "https://news.sample.test/2019-05-22-budget-vote.html").publishedAt) == "2019-05-22")
    }

    @Test(arguments: [
        ("en", "May 22, 2019"), ("en", "Wednesday, 22nd May 2019"), ("en", "Sept. 5, 2019"),
        ("fr", "Publié le 22 mai 2019 à 10h32"),
        ("fr", "le 1er mars 2020"), ("de", "22. Mai 2019, 18:22 Uhr"), ("de", "22.05.2019"),
        ("es", "Madrid - 22 de mayo de 2019"),
        ("it", "22 maggio 2019"), ("pt", "22 de maio de 2019"), ("nl", "22 mei 2019"), ("sv", "Publicerad 22 maj 2019"),
        ("pl", "22 maja 2019"), ("ru", "22 мая 2019"), ("he", "יום רביעי, 22 במאי 2019"), ("he", "פורסם: 22.05.2019 | 21:40"),
    ])
    func visibleDatesWithMonthNames(lang: String, text: String) {
        let found = page("", body: "<h1>Title</h1><div class=\"article-date\">\(text)</div>", lang: lang).publishedAt
        let expected = text.contains("mars 2020") ? "2020-03-01" : text.contains("Sept") ? "2019-09-05" : "2019-05-22"
        #expect(day(found) == expected, "\(text)")
    }

    @Test func thePublishTimeKeepsTheOffsetThePageWroteItIn() {
        let late = page("<meta property=\"article:published_time\" content=\"2019-05-22T01:00:00+0300\">")
        #expect(late.publishedAt == FeedDate.parse("2019-05-21T22:00:00Z"))
        #expect(late.publishedOffset == 3 * 3600)  // the page's readers saw May 22
        #expect(page("<meta name=\"pubdate\" content=\"2019-05-22T19:30:00-05:00\">").publishedOffset == -5 * 3600)
        #expect(page("<meta name=\"pubdate\" content=\"2019-05-22\">").publishedOffset == nil)
    }

    @Test func dayFirstOrMonthFirstFollowsThePagesLanguage() {
        let body = "<h1>T</h1><span class=\"pub-date\">Published 03/04/2021</span>"
        #expect(day(page("", body: body, lang: "en-US").publishedAt) == "2021-03-04")
        #expect(day(page("", body: body, lang: "en-GB").publishedAt) == "2021-04-03")
        #expect(day(page("", body: body, lang: "fr").publishedAt) == "2021-04-03")
        // A day above 12 settles it whatever the language.
        #expect(
            day(page("", body: "<h1>T</h1><span class=\"date\">05/22/2019</span>", lang: "en-GB").publishedAt) == "2019-05-22")
    }

    @Test func theMastheadsDateAboveTheHeadlineIsNotThePublishDate() {
        let body = "<div class=\"top\">Tuesday, December 2, 2026</div><h1>Title</h1><p>Posted on April 11, 2023 by staff.</p>"
        #expect(day(page("", body: body).publishedAt) == "2023-04-11")
    }

    // MARK: - Section

    @Test func sectionFromEachSource() {
        let title = "<title>Budget vote</title>"
        #expect(page(title + "<meta property=\"article:section\" content=\"Politics\">").section == ["Politics"])
        #expect(
            page(
                title
                    + "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"articleSection\":\"Economía\"}</script>"
            ).section == ["Economía"])
        let crumbs =
            "<nav class=\"breadcrumb\"><a href=\"/\">Home</a> › <a href=\"/news/\">News</a> › <a href=\"/news/world/\">World</a></nav>"
        #expect(page(title, body: crumbs).section == ["News", "World"])
        #expect(page(title, body: "<a href=\"/category/community/\" rel=\"category tag\">Community</a>").section == ["Community"])
        #expect(
            page(title, url: "https://news.sample.test/news/middle-east/2019/05/22/budget-vote").section == [
                "News", "Middle East",
            ])
        #expect(page(title, url: "https://news.sample.test/article/2019/05/22/budget-vote").section.isEmpty)
        #expect(page(title, url: "https://news.sample.test/budget-vote/").section.isEmpty)
    }

    // MARK: - Lead image and site name

    @Test func leadImageFromEachSource() {
        #expect(page("<meta property=\"og:image\" content=\"/img/a.jpg\">").image?.url == "https://news.sample.test/img/a.jpg")
        #expect(
            page("<meta name=\"twitter:image\" content=\"https://cdn.sample.test/b.jpg\">").image?.url
                == "https://cdn.sample.test/b.jpg")
        #expect(
            page("<meta name=\"twitter:image:src\" content=\"https://cdn.sample.test/b.jpg\">").image?.url
                == "https://cdn.sample.test/b.jpg")
        let ld =
            "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"image\":[\"https://cdn.sample.test/c.jpg\"]}</script>"
        #expect(page(ld).image?.url == "https://cdn.sample.test/c.jpg")
        #expect(page("<link rel=\"image_src\" href=\"/photos/d.jpg\">").image?.url == "https://news.sample.test/photos/d.jpg")
        // A CDN address is kept exactly as written.
        let cdn = "https://cdn.sample.test/w_1200,h_630/photo|crop.jpg?x=1&y=2"
        #expect(
            page("<meta property=\"og:image\" content=\"\(cdn.replacingOccurrences(of: "&", with: "&amp;"))\">").image?.url == cdn
        )
    }

    @Test func siteNameFromEachSource() {
        #expect(page("<meta property=\"og:site_name\" content=\"The Riverside Ledger\">").siteName == "The Riverside Ledger")
        let publisher =
            "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"publisher\":{\"@type\":\"Organization\",\"name\":\"Diario del Sur\"}}</script>"
        #expect(page(publisher).siteName == "Diario del Sur")
        let website = "<script type=\"application/ld+json\">{\"@type\":\"WebSite\",\"name\":\"מדעון\"}</script>"
        #expect(page(website).siteName == "מדעון")
        #expect(page("<meta name=\"application-name\" content=\"Valley Sports\">").siteName == "Valley Sports")
        #expect(
            page("<title>Storm floods towns - National News</title>", body: "<h1>Storm floods towns</h1>").siteName
                == "National News")
        #expect(page("<title>Just a title</title>").siteName == nil)
    }

    // MARK: - Authors

    @Test func authorsFromEachSource() {
        let ld =
            "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"author\":[{\"@type\":\"Person\",\"name\":\"Daniel Reyes\"},{\"@type\":\"Person\",\"name\":\"Priya Natarajan\"}]}</script>"
        #expect(page(ld).authors == ["Daniel Reyes", "Priya Natarajan"])
        #expect(page("<meta name=\"author\" content=\"Lena Hoffmann\">").authors == ["Lena Hoffmann"])
        #expect(page("<meta name=\"byl\" content=\"By Laura Chen and David Okafor\">").authors == ["Laura Chen", "David Okafor"])
        #expect(page("<meta name=\"parsely-author\" content=\"Kevin Tran\">").authors == ["Kevin Tran"])
        #expect(page("", body: "<p>Posted by <a rel=\"author\" href=\"/u/tom\">Tom Whitaker</a></p>").authors == ["Tom Whitaker"])
        #expect(page("", body: "<div class=\"byline\">By Rachel Kim, Senior Editor</div>").authors == ["Rachel Kim"])
    }

    @Test func aLinkToTheWritersPageNamesTheAuthor() {
        let body = "<nav><a href=\"/authors/\">All authors</a></nav><h1>T</h1><div class=\"meta\"><a href=\"/people/daniel-reyes/\">Daniel Reyes</a></div>"
        #expect(page("", body: body).authors == ["Daniel Reyes"])
        #expect(page("", body: "<a href=\"/author/admin/\">admin</a>").authors.isEmpty)
    }

    @Test func aBylineNamingTheSiteIsNoPerson() {
        let head =
            "<meta property=\"og:site_name\" content=\"Willow Creek Farm\"><meta itemprop=\"author\" content=\"Willow Creek Farm\">"
        #expect(page(head, body: "<span class=\"blog-author\"><a>Megan Hill</a></span>").authors == ["Megan Hill"])
    }

    @Test func theSitesNameIsCutFromTheOpenGraphTitle() {
        let head =
            "<meta property=\"og:site_name\" content=\"Willow Creek Farm\"><meta property=\"og:title\" content=\"Harvest report &mdash; Willow Creek Farm\">"
        #expect(page(head).title == "Harvest report")
        #expect(
            page("<meta property=\"og:title\" content=\"Harvest report — Willow Creek Farm\">").title
                == "Harvest report — Willow Creek Farm")
    }

    @Test(arguments: [
        ("By John Smith and Jane Roe, Contributors", ["John Smith", "Jane Roe"]),
        ("By Sarah Lee | Staff Writer", ["Sarah Lee"]),
        ("Par Claire Dupont et Marc Petit", ["Claire Dupont", "Marc Petit"]),
        ("Von Stefan Gruber", ["Stefan Gruber"]),
        ("door Jan de Vries", ["Jan de Vries"]),
        ("di Mario Rossi", ["Mario Rossi"]),
        ("Por Ana Souza", ["Ana Souza"]),
        ("מאת: דנה לוי", ["דנה לוי"]),
        ("Kevin Tran / 8:00 AM EDT • June 9, 2020", ["Kevin Tran"]),
        ("Submitted by Karen Liu on Wed, 10/09/2019 - 10:32", ["Karen Liu"]),
        ("Jane Doe May 22, 2019", ["Jane Doe"]),
        ("Staff Writer", []),
    ])
    func bylinesLoseRoleWordsAndDates(byline: String, names: [String]) {
        #expect(page("", body: "<div class=\"byline\">\(byline)</div>").authors == names, "\(byline)")
    }
}
