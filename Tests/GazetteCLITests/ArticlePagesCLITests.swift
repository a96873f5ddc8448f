import Foundation
import GazetteTestSupport
import Testing

/// The repository's own demo config on the sample site: the "latest" feed has no
/// categories, so its articles' sections and tags can only come from their pages.
@Suite struct ArticlePagesCLITests {
    /// The repository's gazette.toml, sample site and subscribers, in a scratch folder.
    private func demo() throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory("gazette-demo")
        for item in ["gazette.toml", "sample-site", "subscribers/sample.csv"] {
            let target = folder.url.appendingPathComponent(item)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: RepoPaths.root.appendingPathComponent(item), to: target)
        }
        return folder
    }

    @Test func previewGroupsTheSampleSiteBySectionsAndTagsFromItsPages() throws {
        let folder = try demo()
        defer { folder.remove() }
        let fetched = try GazetteBinary.run(["fetch"], in: folder.url)
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(fetched.stdout.contains("israelhayom-latest-sample: 5 items, 5 new, 5 article pages read"))
        #expect(try GazetteBinary.run(["subscribers", "import", "subscribers/sample.csv"], in: folder.url).status == 0)
        let preview = try GazetteBinary.run(["preview", "--format", "text", "--no-pager"], in: folder.url)
        #expect(preview.status == 0, "\(preview.stderr)")
        let text = preview.stdout
        // Sections only the pages name: a microdata trail, a one-line label read by the site's
        // rule, a Hebrew breadcrumb (isolated in the English text part: FSI…PDI), and "Israel at War" renamed by the site's section map.
        for heading in ["== Business > Economy (1) ==", "== Local > Jerusalem (1) ==", "== \u{2068}חדשות > פוליטי\u{2069} (1) ==", "== Israel (1) =="] {
            #expect(text.contains(heading), "missing \(heading)")
        }
        // Tags only the pages name, one renamed by [aliases] (the tag index wraps, so spaces are squeezed).
        let flowing = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for tag in ["Bank of Israel [", "Reservists [", "Israel Defense Forces [", "\u{2068}חוק הגיוס\u{2069} ["] { #expect(flowing.contains(tag), "missing \(tag)") }
        // The Yoast page's article sits in the feed's section at depth 2, with its byline and the
        // day-first time the site's rule reads (15:22 in Jerusalem).
        let turkey = try #require(text.range(of: "Turkey pushes for role in Gaza force despite Israeli veto"))
        #expect(text[turkey.upperBound...].prefix(60).contains("26 Nov 2026, 15:22 · by Ariel Kahana"))
    }

    @Test func extractWritesThePublishTimeInThePagesOwnOffset() throws {
        let folder = try TemporaryDirectory("gazette-extract")
        defer { folder.remove() }
        try """
            <html><head><meta property="article:published_time" content="2019-05-22T01:00:00+03:00">
            <meta property="og:site_name" content="Sample News"></head><body><h1>Late news</h1></body></html>
            """.write(to: folder.url.appendingPathComponent("page.html"), atomically: true, encoding: .utf8)
        let result = try GazetteBinary.run(["extract", "--json", "--url", "https://news.sample.test/late", "page.html"], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"published\": \"2019-05-22T01:00:00+03:00\""), "\(result.stdout)")
        #expect(result.stdout.contains("\"site_name\": \"Sample News\""))
    }

    @Test func extractPrintsTheDocumentedObject() throws {
        let folder = try demo()
        defer { folder.remove() }
        let page = "sample-site/2026/11/jerusalem-light-rail-blue-line/index.html"
        let url = "https://sample.israelhayom.test/2026/11/jerusalem-light-rail-blue-line/"
        let result = try GazetteBinary.run(["extract", "--json", "--url", url, page], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
            {"url": null, "title": "Blue Line work closes Jerusalem's Emek Refaim for a year", "authors": ["Noa Shapiro"], \
            "published": "2026-11-25T16:05:00Z", "modified": null, "section": ["Local", "Jerusalem"], "tags": [], \
            "summary": "Emek Refaim Street will close to cars for about a year from Sunday as work on the light rail's Blue Line moves \
            into the German Colony, the city said.", "image": null, "site_name": null, "language": null, "direction": "ltr"}

            """)
        let several = try GazetteBinary.run(["extract", "--json", page, "missing.html"], in: folder.url)
        #expect(several.status == 3)
        #expect(several.stdout.split(separator: "\n").count == 2)
        #expect(several.stdout.contains("{\"file\": \"missing.html\", \"error\": "))
    }
}
