import FeedParsing
import Testing

@Suite struct HTMLSanitizerTests {
    @Test(arguments: [
        ("<p>ok</p><script>alert(1)</script>", "<p>ok</p>"),
        ("<a href=\"javascript:alert(1)\">x</a>", "<a>x</a>"),
        ("<a href=\" JaVa\tScRiPt:alert(1)\">x</a>", "<a>x</a>"),
        ("<a href=\"vbscript:x\">x</a><a href=\"data:text/html,x\">y</a>", "<a>x</a><a>y</a>"),
        ("<img src=\"data:image/png;base64,AAAA\" alt=\"a\">", ""),
        ("<p onclick=\"x()\" onmouseover=\"y()\" style=\"position:fixed\">t</p>", "<p>t</p>"),
        ("<form><input value=\"x\"><button>go</button></form>after", "after"),
        ("<svg><script>x</script></svg><math>m</math>ok", "ok"),
        ("<unknown>kept text</unknown>", "kept text"),
        ("<p dir=\"rtl\" lang=\"he\">שלום</p>", "<p dir=\"rtl\" lang=\"he\">שלום</p>"),
        ("<a href=\"/rel\" title=\"T\">r</a>", "<a href=\"https://site.sample.test/rel\" title=\"T\">r</a>"),
        ("<a href=\"mailto:desk@sample.test\">m</a>", "<a href=\"mailto:desk@sample.test\">m</a>"),
        ("5 &lt; 6 &amp; \"q\"", "5 &lt; 6 &amp; &quot;q&quot;"),
        ("<!-- comment --><b>b</b>", "<b>b</b>"),
    ])
    func keepsWhatIsSafe(input: String, expected: String) {
        #expect(HTMLSanitizer.sanitize(input, baseURL: "https://site.sample.test/a/") == expected)
    }
}
