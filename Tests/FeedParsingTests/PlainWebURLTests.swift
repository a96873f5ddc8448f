import Foundation
import GazetteModel
import Testing

@testable import FeedParsing

/// `resolve` returns a plainly absolute http(s) link as it stands (`PlainWebURL`); it must be
/// exactly what resolving it through Foundation's `URL` gives, against any base.
@Suite struct PlainWebURLTests {
    static let bases: [String?] = [
        nil, "https://site0001.bench.test/feed/", "http://example.test/a/b/c?q=1#f", "file:///tmp/feed.xml", "not a url",
        "https://xn--4dbrk0ce.example/פיד/", "https://A.Test:8080/p/q?x#y", "http://a.test", "https://a.test:443/x/../y",
        "http://user@a.test/x/", "https://a.test?q", "https://a.test#f",
    ]

    /// `resolve` as it was: the link trimmed, then always through `URL`.
    private func resolvedThroughURL(_ link: String, against base: String?) -> String? {
        let link = UntrustedText.trimmingWhitespace(link)
        return link.isEmpty ? nil : resolveThroughURL(link, against: base)
    }

    private func expectSameAsURL(_ link: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for base in Self.bases {
            #expect(
                resolve(link, against: base) == resolvedThroughURL(link, against: base), "\(link) against \(base ?? "nil")",
                sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [
        "https://site0001.bench.test/2026/11/26/story-0/", "https://site0001.bench.test/?p=1000", "http://a.test",
        "http://a.test/", "https://a.test:8443/x", "https://a.test/wp-content/uploads/2026/11/story-0.jpg",
        "https://a.test/tag/health/#respond", "https://a.test/a%20b/%E2%80%A6", "https://a.test/~user/(x)!$&'*+,;=:@",
        "https://a.test/search?q=a/b?c&d=e#frag?x/y", "https://a.test//double//slashes", "https://a.test/.well-known/x",
        "https://a.test/a..b/...", "https://A.TEST/Path", "https://a.test/x%00", "https://sub.domain-x.a.test/x-y_z.html",
    ])
    func commonLinksTakeTheShortcut(_ link: String) {
        #expect(PlainWebURL.isPlain(link))
        expectSameAsURL(link)
    }

    @Test(arguments: [
        "https://a.test/./x", "https://a.test/a/../b", "https://a.test/..", "https://a.test/.", "https://a.test/x/.?q",
        "https://a.test/x/..#f", "HTTP://a.test/", "Https://a.test/", "ftp://a.test/", "https:/a.test/", "https://",
        "https://:80/",
        "https://a.test:/x", "https://a.test:123456/", "https://user@a.test/", "https://[::1]/", "https://a.test/a b",
        "https://a.test/é", "https://a.test/%2", "https://a.test/%zz", "https://a.test/a#b#c", "https://a.test/<x>",
        "https://a.test/\"q\"", "https://a.test/{x}", "https://a.test/a|b", "https://a.test/a\\b", "https://a.test/^",
        "https://a.test/`", "https://a_b.test/", "https://פיד.example/", "/relative/path", "relative", "//a.test/x", "?q", "#f",
        "mailto:a@b.test", "javascript:alert(1)", "https://a.test\t/x",
    ])
    func otherLinksTakeTheURLPath(_ link: String) {
        #expect(!PlainWebURL.isPlain(link))
        expectSameAsURL(link)
    }

    /// Absolute-path links are joined to a plain base's origin without `URL` when the result is plain.
    @Test(arguments: [
        "/tag/health/", "/", "/a?b=c#d", "/wp-content/uploads/2026/11/story-0.jpg", "/a/./b", "/a/../b", "/..", "/é",
        "/a b", "//a.test/x", "/%41", "/%4", "/x#a#b", "/~u/(x)", " /padded/ ",
    ])
    func absolutePathsJoinTheBaseOrigin(_ link: String) {
        expectSameAsURL(link)
    }

    @Test func theCommonTagLinkIsJoinedWithoutURL() {
        #expect(
            PlainWebURL.joiningAbsolutePath("/tag/health/", to: "https://site0001.bench.test/2026/11/26/story-0/")
                == "https://site0001.bench.test/tag/health/")
        #expect(PlainWebURL.joiningAbsolutePath("/a/../b", to: "https://a.test/") == nil)
    }

    /// Many links built from pieces that are, and are not, plain.
    @Test func generatedLinksResolveAsURLResolvesThem() {
        let schemes = ["http://", "https://", "https:", "HTTPS://", "http:///", ""]
        let hosts = ["a.test", "site0001.bench.test", "A.Test", "x-y.z", "a..b", "", "1.2.3.4", "h:80", "h:", "h:0", "-a-", "."]
        let pieces = [
            "/", "a", "b9", ".", "..", "%20", "%2f", "%", "~", "-", "_", "é", " ", "?", "#", "&", "=", ";", "'", "(", ")", "@",
            ":",
            "[", "]", "|", "\\", "^", "`", "{", "\"", "<", "+", ",", "!", "*", "$", "\t", "\u{7F}", "%E2%80%A6",
        ]
        var generator = SeededGenerator(seed: 2026)
        var plain = 0
        for _ in 0..<8000 {
            var link = schemes.randomElement(using: &generator)! + hosts.randomElement(using: &generator)!
            for _ in 0..<Int.random(in: 0...8, using: &generator) { link += pieces.randomElement(using: &generator)! }
            if PlainWebURL.isPlain(link) { plain += 1 }
            expectSameAsURL(link)
        }
        #expect(plain > 250)
    }
}
