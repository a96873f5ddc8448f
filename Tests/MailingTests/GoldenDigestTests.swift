import Foundation
import GazetteModel
import GazetteTestSupport
import Mailing
import Testing

/// The rendered text, HTML and whole message of one fixed digest — fixed clock, IDs and
/// token — compared byte for byte with golden files in Snapshots/.
@Suite struct GoldenDigestTests {
    static let now = Date(timeIntervalSince1970: 1_795_676_400)  // 2026-11-26 07:00 UTC
    static let zone = TimeZone(identifier: "Asia/Jerusalem") ?? .gmt

    static func digest() -> Digest {
        var turkey = Article.fixture(
            "Turkey pushes for role in Gaza force despite Israeli veto", url: "https://sample.israelhayom.test/2026/11/turkey-gaza-force/",
            section: "News > Middle East > Peace Process", tags: ["Turkey", "ISF", "Azerbaijan"], publishedAt: now - 5 * 3600,
            firstSeenAt: now - 3600)
        turkey.authors = ["Ariel Kahana"]
        turkey.summary = "Ankara lobbies Washington for a place in the international stabilization force; Jerusalem says no."
        var hebrew = Article.fixture(
            "שלב ב׳ – שיחות קהיר מתחדשות", url: "https://sample.israelhayom.test/2026/11/cairo-talks/",
            section: "News > Middle East", tags: ["Gaza Strip", "מצרים"], publishedAt: now - 2 * 3600, firstSeenAt: now - 3600)
        hebrew.summary = "המשלחות חזרו לקהיר לדון בשלב השני של העסקה, כך נמסר הערב."
        hebrew.authors = ["נועה ברק", "Omer Levi"]
        hebrew.language = "he"
        hebrew.imageURL = "https://sample.israelhayom.test/wp-content/uploads/2026/11/cairo.jpg"
        hebrew.imageCaption = "המשלחת הישראלית בקהיר (צילום: רויטרס)"
        var hostile = Article.fixture(
            "\"><img src=x onerror=alert(1)> <script>alert('x')</script> & friends", url: "https://sample.israelhayom.test/2026/11/hostile/?a=1&b=\"2\"",
            section: "Opinions", tags: ["<b>bold</b>"], publishedAt: now - 3 * 3600, firstSeenAt: now - 3600)
        hostile.summary = "Wide text 東京の記者会見では長い説明が続きましたが結論は出ませんでしたそして会見は翌日に持ち越されることになりました for wrapping."
        return Digest(
            list: SubscriberList(
                name: "daily", title: "Israel Hayom Daily", senderName: "ישראל היום – Digest",
                senderAddress: "digest@sample.israelhayom.test"),
            subscriber: Subscriber(id: 7, email: "reader@gazette.test", name: "נועה ברק", createdAt: now),
            window: DigestWindow(start: now - 86_400, end: now),
            topStories: [DigestEntry(article: turkey, sources: ["israelhayom", "opinions"], importance: 1)],
            sections: [
                DigestSection(
                    path: SectionPath(parsing: "News > Middle East"),
                    entries: [DigestEntry(article: hebrew, alsoIn: [SectionPath(parsing: "Opinions")])], moreCount: 2),
                DigestSection(path: SectionPath(parsing: "Opinions"), articles: [hostile]),
            ],
            tagIndex: [
                TagCount(tag: "Turkey", count: 1, articleURLs: [turkey.url]), TagCount(tag: "ISF", count: 1, articleURLs: [turkey.url]),
                TagCount(tag: "Gaza Strip", count: 1, articleURLs: [hebrew.url]),
            ])
    }

    static let links = DigestLinks.make(
        token: "v1.7.daily.AAAAAAAAAAAAAAAAAAAAAA", senderAddress: "digest@sample.israelhayom.test",
        unsubscribeTemplate: "https://news.sample.test/unsubscribe?token={token}",
        preferencesTemplate: "https://news.sample.test/preferences?token={token}")

    private func rendered() throws -> (DigestViewModel, RenderedDigest) {
        let model = DigestViewModel(digest: Self.digest(), date: Self.now, timeZone: Self.zone, links: Self.links)
        return (model, try DigestTemplates.load().render(model))
    }

    @Test func textPart() throws {
        let (_, rendered) = try rendered()
        try assertSnapshot(rendered.text, named: "digest.txt")
        for line in rendered.text.split(separator: "\n") where !line.contains("https://") {
            #expect(DisplayWidth.of(line) <= 72, "too wide: \(line)")
        }
    }

    @Test func htmlPart() throws {
        let (_, rendered) = try rendered()
        try assertSnapshot(rendered.html, named: "digest.html")
        #expect(!rendered.html.contains("<script>"))
        #expect(!rendered.html.contains("<img src=x"))
        #expect(rendered.html.contains("lang=\"he\""))
        #expect(rendered.html.contains("alt=\"המשלחת הישראלית בקהיר\""))  // without the photo credit
    }

    @Test func wholeMessage() throws {
        let (model, rendered) = try rendered()
        let message = DigestMessageComposer.compose(
            digest: Self.digest(), rendered: rendered, subject: model.subject,
            messageID: "2026-11-26.daily.0123456789abcdef@sample.israelhayom.test", date: Self.now, links: Self.links)
        let eml = String(decoding: MIMEWriter.render(message, boundary: "=_gazette_golden", timeZone: Self.zone), as: UTF8.self)
        try assertSnapshot(eml, named: "digest.eml")

        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let file = folder.url.appendingPathComponent("digest.eml")
        try Data(eml.utf8).write(to: file)
        let parsed = try #require(try ParsedEmail.parse([file]).first)
        #expect(parsed.defects.isEmpty)
        #expect(parsed.headers["From"] == "ישראל היום – Digest <digest@sample.israelhayom.test>")
        #expect(parsed.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
        #expect(parsed.headers["List-Unsubscribe"]?.hasPrefix("<https://news.sample.test/unsubscribe?token=v1.7.daily.") == true)
        #expect(parsed.headers["Date"] == "Thu, 26 Nov 2026 09:00:00 +0200")
        #expect(parsed.maxBodyLineLength <= 76)
        #expect(parsed.maxLineLength <= 998)
    }
}
