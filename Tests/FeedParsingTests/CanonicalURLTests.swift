import GazetteModel
import Testing

@Suite struct CanonicalURLTests {
    @Test(arguments: [
        ("HTTPS://Example.COM:443/a/b?utm_source=rss&id=7&fbclid=XY#frag", "https://example.com/a/b?id=7"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        ("https://example.com/?utm_medium=email&UTM_Campaign=x", "https://example.com/"),
        ("https://example.com/?p=42", "https://example.com/?p=42"),
        ("https://example.com/path%20with%20space", "https://example.com/path%20with%20space"),
        ("mailto:desk@example.com", "mailto:desk@example.com"),
        ("  https://example.com/trim  ", "https://example.com/trim"),
    ])
    func normalizes(input: String, expected: String) {
        #expect(CanonicalURL.normalize(input) == expected)
    }
}
