import Testing
@testable import FeedParsing

@Suite struct AuthorNameTests {
    @Test(arguments: [
        ("jo@example.com (Jo Cohen)", "Jo Cohen"),
        ("Jo Cohen <jo@example.com>", "Jo Cohen"),
        ("Jo Cohen (jo@example.com)", "Jo Cohen"),
        ("jo@example.com Jo Cohen", "Jo Cohen"),
        ("\"Jo Cohen\" <jo@example.com>", "Jo Cohen"),
        ("jo@example.com", "jo@example.com"),
        ("<jo@example.com>", "jo@example.com"),
        ("Jo Cohen", "Jo Cohen"),
        ("Jo Cohen (Tel Aviv)", "Jo Cohen (Tel Aviv)"),
    ])
    func theNameIsTheAuthor(_ text: String, _ name: String) {
        #expect(AuthorName.name(from: text) == name)
    }
}
