import Testing

@testable import FeedParsing

/// `HTMLSanitizer.safeURL` turns down a link starting with "/" under a base whose scheme it
/// does not allow without resolving it: the answer must be the one resolving gives.
@Suite struct SafeURLTests {
    static let bases: [String?] = [
        nil, "", "file:///work/parse/.build/bench/data/parse/0003.xml", "FILE:///tmp/feed.xml", "file:///tmp/a%20b/feed.xml",
        "https://site0001.bench.test/2026/11/26/story-0/", "HTTP://A.TEST/x", "http://a.test", "mailto:editor@a.test",
        "ftp://a.test/feeds/", "data:text/html,x", "javascript:alert(1)", "not a url", "/relative/base/", "//a.test/x",
        "https://xn--4dbrk0ce.example/פיד/", "1http://a.test/", "+x://a.test/", "a+b-c.d://a.test/", ":no-scheme",
        "urn:isbn:0451450523", "file:", "http:", "https://a.test:8080/p?q#f", "file://host/share/feed.xml",
    ]

    static let links = [
        "/tag/hamas/", "/", "//", "//evil.test/x", "///x", "/a b/c", "/a:b", "/%zz", "/x?y#z", "/פיד/", "/.././x",
        "/javascript:alert(1)", "/\t/x", "/ /", "tag/x", "https://a.test/x", "mailto:x@a.test", "javascript:x", " /x", "",
        "#top", "?q", "../x",
    ]

    @Test func answersAsResolvingDoes() {
        for base in Self.bases {
            for link in Self.links {
                for forImage in [false, true] {
                    let schemes = forImage ? HTMLSanitizer.imageSchemes : HTMLSanitizer.linkSchemes
                    #expect(
                        HTMLSanitizer.safeURL(link, baseURL: base, forImage: forImage)
                            == HTMLSanitizer.safeURLResolving(link, baseURL: base, allowedSchemes: schemes),
                        "\(link) under \(base ?? "nil"), image: \(forImage)")
                }
            }
        }
    }

    @Test func readsASchemeAsRFC3986WritesIt() {
        #expect(HTMLSanitizer.scheme(of: "FILE:///x") == "file")
        #expect(HTMLSanitizer.scheme(of: "a+b-c.d://x") == "a+b-c.d")
        #expect(HTMLSanitizer.scheme(of: "1http://x") == nil)
        #expect(HTMLSanitizer.scheme(of: ":x") == nil)
        #expect(HTMLSanitizer.scheme(of: "/a:b") == nil)
        #expect(HTMLSanitizer.scheme(of: "no scheme") == nil)
    }
}
