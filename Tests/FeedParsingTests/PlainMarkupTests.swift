import Foundation
import Testing

@testable import FeedParsing

/// `PlainMarkup` sanitizes plain fragments without libxml2 (issue #18); whatever it answers
/// must be what libxml2's parse and the tree walk answer (`sanitizedThroughTree`), and
/// whatever it cannot vouch for it must leave to them.
@Suite struct PlainMarkupTests {
    private let base = "https://site.sample.test/2026/11/26/story/"

    /// The sanitized HTML and text by the shortcut (when it answers) and by the tree.
    private func expectSame(_ html: String, expectPlain: Bool? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        let bytes = FeedHTML.bytes(Data(html.utf8))
        guard HTMLText.mayHoldMarkup(html) else {  // text as it stands: neither path's business
            #expect(
                HTMLSanitizer.sanitized(bytes, baseURL: base, withText: true)
                    == HTMLSanitizer.sanitizeWithText(html, baseURL: base))
            return
        }
        var copy = html
        let plain = copy.withUTF8 { PlainMarkup.sanitize($0, baseURL: base, withText: true) }
        if let expectPlain { #expect((plain != nil) == expectPlain, "\(html)", sourceLocation: sourceLocation) }
        let tree = HTMLSanitizer.sanitizedThroughTree(html, baseURL: base, withText: true)
        #expect(HTMLSanitizer.sanitizeWithText(html, baseURL: base) == tree, "\(html)", sourceLocation: sourceLocation)
        #expect(HTMLSanitizer.sanitized(bytes, baseURL: base, withText: true) == tree, "\(html)", sourceLocation: sourceLocation)
        #expect(HTMLSanitizer.sanitize(bytes, baseURL: base) == tree.html, "\(html)", sourceLocation: sourceLocation)
    }

    @Test(arguments: [
        "<p>Coach final council <a href=\"/tag/health/\">Climate</a>.</p>\n<figure class=\"wp-block-image\"><img src=\"https://x.sample.test/a.jpg\" alt=\"a &amp; b\" width=\"1200\" height=\"800\" loading=\"lazy\" /></figure>\n<p>More.</p>",
        "<blockquote><p>Quoted &#8220;words&#8221;</p></blockquote>", "<ul><li>one</li><li>two</li></ul>",
        "<p>a<br>b<br/>c<br />d</p>",
        "<P CLASS='x'>Upper <EM>case</EM></P>", "<h2 id=\"t\">Title</h2><p>text &nbsp;&lt;tag&gt; &quot;q&quot;</p>",
        "<img src=\"javascript:alert(1)\" alt=\"bad\">", "<img alt=\"no source\">", "<a href=\"mailto:a@b.test\">mail</a>",
        "<a href=\"java\tscript:x\">x</a>", "<img src=\"mailto:a@b.test\">",
        "<p title=\"t\" lang=\"he\" dir=\"rtl\" onclick=\"x()\">שלום</p>",
        "<a href=\"https://x.test/?a=1&amp;b=2\">q</a>", "<a href='/rel ative/é'>rel</a>",
        "<time datetime=\"2026-11-26\">today</time>",
        "<ol start=\"3\"><li><p>in li</p></li></ol>", "<div><p>in div</p></div>",
        "<p><span><b><i><u><s>deep</s></u></i></b></span></p>",
        "<pre><code>let x = 1 &lt; 2\n\tindented</code></pre>", "<dl><dt>term</dt><dd>definition</dd></dl>", "<hr>",
        "<p>x</p><hr/>",
        "  leading and trailing  <b>space</b>  ", "<p>\u{202E}bidi\u{200B} and \u{85}next line</p>",
        "<p>emoji 😀 and &#128512;</p>",
        "<figure><img src=\"/a.jpg\" alt=\"\"><figcaption>Caption</figcaption></figure>", "<a href=\"\">empty</a>", "<p></p>",
        "<a href=\"/x\" href=\"/y\">twice</a>", "<a HREF=\"/x\" href=\"/y\">twice</a>", "<p>a & b</p>", "<p>AT&T</p>",
        "<p>&copy;</p>",
        "<p>&#x2026;</p>", "<p>&#150;</p>", "<p>&#0;</p>", "<p>&amp</p>", "<p>a\rb</p>", "<p>a\u{1}b</p>", "<p>\u{FFFE}</p>",
        "<p>x<p>y</p>", "<p>x<ul><li>y</li></ul></p>", "<li>a<li>b</li>", "<a href=\"/1\">a<a href=\"/2\">b</a></a>",
        "<p>x</b></p>",
        "<p>unclosed", "</p>", "<p>x</p></p>", "<!-- c --><p>x</p>", "<p>a < b</p>", "<p>a <3</p>", "<script>x</script>",
        "<table><tr><td>x</td></tr></table>", "<section><p>x</p></section>", "<p/>", "<br></br>", "<p class=x>y</p>",
        "<p hidden>y</p>", "<p a=\"1\"b=\"2\">y</p>", "<p a = \"1\">y</p>", "<p a=\"<\">y</p>", "<p a=\"x\ny\">y</p>",
        "<p a=\"\u{FFFF}\">y</p>", "<img src=\"/a.jpg\" alt=\"&#8220;q&#8221; &lt;b&gt;\">", "<p>\n</p>\n\n<p>\t</p>",
        "<b>x</b>\n<p>y</p>",
        "<p data-x=\"1\" aria-label=\"l\">y</p>", "<p x:y=\"1\">y</p>", "<h1>a<p>b</p></h1>", "<pre>a<ul><li>b</li></ul></pre>",
        "<dd>a<dt>b</dt></dd>", "<i>a<p>b</p></i>", "<p>a<div>b</div></p>", "<p>a<hr>b</p>", "<p>trailing &#8230;",
        "text only &#8230;",
    ])
    func fragmentsReadAsLibxml2ReadsThem(_ html: String) {
        expectSame(html)
    }

    @Test func wordPressContentTakesTheShortcut() {
        expectSame(
            "<p>Coach <a href=\"/tag/health/\">Climate</a>.</p>\n<blockquote><p>Proposal</p></blockquote>", expectPlain: true)
        expectSame("<p>x<p>y</p>", expectPlain: false)
        expectSame("<p>a & b</p>", expectPlain: false)
    }

    /// Random fragments of the elements the shortcut knows (and a few it does not), nested
    /// at random, with attributes, entities and whitespace: every one must read the same.
    @Test func generatedFragmentsReadAsLibxml2ReadsThem() {
        var generator = SeededGenerator(seed: 2026)
        let names = PlainMarkup.elements + ["table", "td", "section", "script", "style", "form", "title", "body", "center"]
        let texts = [
            "plain words", " ", "\n", "\t", "a &amp; b", "&lt;", "&#8230;", "&nbsp;", "&quot;", "שלום", "é", "&copy;", "&", "<",
            ">", "\"'", "&#x41;", "\u{202E}", "😀", "&#1513;", "",
        ]
        let attributes = [
            " href=\"/rel/\"", " href=\"https://a.test/x?y=1&amp;z=2\"", " src=\"/img.jpg\"", " src='https://a.test/i.png'",
            " alt=\"alt &amp; text\"", " alt=\"\"", " title=\"t\"", " class=\"c\"", " onclick=\"x()\"", " href=\"javascript:x\"",
            " width=\"10\"", " datetime=\"2026\"", " start=\"2\"", " lang=\"he\"", " HREF=\"/u\"", " data-a=\"1\"", " hidden",
            " cite=\"/c\"", " colspan=\"2\"",
        ]
        var plainCount = 0
        for _ in 0..<3000 {
            var html = ""
            var open: [String] = []
            for _ in 0..<Int.random(in: 1...14, using: &generator) {
                switch Int.random(in: 0..<10, using: &generator) {
                case 0...3:
                    html += texts.randomElement(using: &generator)!
                case 4...6:
                    let name =
                        Bool.random(using: &generator)
                        ? names.randomElement(using: &generator)!
                        : ["p", "a", "img", "b", "li"].randomElement(using: &generator)!
                    html += "<" + name
                    for _ in 0..<Int.random(in: 0...2, using: &generator) { html += attributes.randomElement(using: &generator)! }
                    if PlainMarkup.voidElements.contains(name) {
                        html += ["", "/", " /"].randomElement(using: &generator)! + ">"
                    } else {
                        html += ">"
                        open.append(name)
                    }
                default:
                    if let name = open.popLast() { html += "</\(name)>" }
                }
            }
            // Mostly closed properly; sometimes left open or closed out of order.
            if Int.random(in: 0..<10, using: &generator) > 0 {
                while let name = open.popLast() { html += "</\(name)>" }
            } else {
                open.shuffle(using: &generator)
                html += open.map { "</\($0)>" }.joined()
            }
            var copy = html
            if copy.withUTF8({ PlainMarkup.sanitize($0, baseURL: base, withText: true) }) != nil { plainCount += 1 }
            expectSame(html)
        }
        #expect(plainCount > 300)  // the shortcut is exercised, not only its refusals
    }

    /// Every item content of the fixture feeds, as parsing keeps it, sanitized both ways.
    @Test func fixtureContentReadsTheSame() throws {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            guard let data = try? Data(contentsOf: folder.appendingPathComponent(name)),  // not a folder
                let feed = try? FeedParser.parse(data, baseURL: "https://fixture.sample.test/feed/")
            else { continue }
            for item in feed.items {
                for body in [item.content, item.summaryBody] {
                    guard case .unsanitized(let html, let baseURL)? = body, HTMLText.mayHoldMarkup(html.string) else { continue }
                    let tree = HTMLSanitizer.sanitizedThroughTree(html.string, baseURL: baseURL, withText: false).html
                    #expect(HTMLSanitizer.sanitize(html, baseURL: baseURL) == tree, "\(name)")
                    #expect(HTMLSanitizer.sanitize(html.string, baseURL: baseURL) == tree, "\(name)")
                }
            }
        }
    }
}
