import FeedParsing
import Foundation
import Testing

@Suite struct FeedDiscoveryTests {
    @Test func findsAnnouncedFeedsInPageOrderCommentsLast() {
        let html = """
            <!DOCTYPE html><html><head><title>Site</title>
            <link rel="stylesheet" href="/style.css">
            <link rel="alternate" type="application/rss+xml" title="Site &raquo; Comments Feed" href="/comments/feed/">
            <link rel="alternate" type="application/rss+xml" title="Site &raquo; Feed" href="/feed/">
            <link rel="alternate" type="application/atom+xml" href="https://site.sample.test/feed/atom/">
            <link rel="alternate" type="application/feed+json" href="feed.json">
            <link rel="alternate" type="application/rss+xml" href="/feed/">
            <link rel="alternate" hreflang="he" href="/he/">
            </head><body></body></html>
            """
        let feeds = FeedDiscovery.feeds(inHTML: Data(html.utf8), baseURL: "https://site.sample.test/news/")
        #expect(feeds.map(\.url) == [
            "https://site.sample.test/feed/", "https://site.sample.test/feed/atom/", "https://site.sample.test/news/feed.json",
            "https://site.sample.test/comments/feed/",
        ])
        #expect(feeds.first?.title == "Site » Feed")
        #expect(feeds.map(\.kind) == ["RSS", "Atom", "JSON Feed", "RSS"])
    }

    @Test func aPageWithoutFeedsHasNone() {
        #expect(FeedDiscovery.feeds(inHTML: Data("<html><body>hi</body></html>".utf8), baseURL: "https://x.sample.test/").isEmpty)
    }
}
