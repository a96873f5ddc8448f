import Foundation
import GazetteModel
import GazetteTestSupport
import Mailing
import Testing

/// The text part of an English and a Hebrew list, from fixed articles and a fixed clock,
/// compared byte for byte with Snapshots/language-en.txt and language-he.txt. The articles
/// carry what wrapping used to get wrong: tag names of several words near the line's end,
/// and a link whose "[n] URL" is just wider than a line.
@Suite struct LanguageGoldenTests {
    static let now = Date(timeIntervalSince1970: 1_796_194_800)  // 2026-12-02 07:00 UTC
    static let zone = TimeZone(identifier: "Asia/Jerusalem") ?? .gmt

    struct Story {
        var title: String
        var url: String
        var section: String
        var tags: [String]
        var authors: [String]
        var summary: String
        var hoursAgo: Double
    }

    static func digest(language: String, title: String, stories: [Story], moreInFirstSection: Int) -> Digest {
        var list = SubscriberList(
            name: "daily-\(language)", title: title, senderName: title, senderAddress: "digest@sample.israelhayom.test")
        list.language = language
        let entries = stories.map { story in
            var article = Article.fixture(
                story.title, url: story.url, section: story.section, tags: story.tags, publishedAt: now - story.hoursAgo * 3600,
                firstSeenAt: now - 1800)
            article.authors = story.authors
            article.summary = story.summary
            article.language = language
            return DigestEntry(article: article)
        }
        let top = Array(entries.prefix(1))
        let rest = entries.dropFirst()
        let paths = rest.map(\.article.section).reduce(into: [SectionPath]()) { if !$0.contains($1) { $0.append($1) } }
        let sections = paths.enumerated().map { index, path in
            DigestSection(
                path: path, entries: rest.filter { $0.article.section == path }, moreCount: index == 0 ? moreInFirstSection : 0)
        }
        let tags = entries.flatMap(\.article.tags).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return Digest(
            list: list, subscriber: Subscriber(id: 3, email: "reader@gazette.test", name: "Dana", createdAt: now),
            window: DigestWindow(start: now - 86_400, end: now), topStories: top, sections: sections,
            tagIndex: tags.prefix(4).map { tag in
                TagCount(tag: tag, count: 1, articleURLs: entries.filter { $0.article.tags.contains(tag) }.map(\.article.url))
            })
    }

    static let english = digest(
        language: "en", title: "Israel Hayom Daily",
        stories: [
            Story(
                title: "Turkey pushes for a role in the Gaza force despite an Israeli veto",
                url: "https://sample.israelhayom.test/2026/12/turkey-gaza-force-veto-talks/", section: "News > Middle East",
                tags: ["Turkey", "international stabilization force", "Azerbaijan"],
                authors: ["Ariel Kahana", "Omer Levi", "Noa Barak"],
                summary: "Ankara lobbies Washington for a place in the international stabilization force; Jerusalem says no.",
                hoursAgo: 5),
            Story(
                title: "Cairo talks resume on the second stage of the deal",
                url: "https://sample.israelhayom.test/2026/12/cairo-talks-resume-second-stage/", section: "News > Middle East",
                tags: ["Gaza Strip", "Rafah crossing", "Egyptian mediation team"], authors: ["Staff"],
                summary: "Delegations returned to Cairo to discuss the second stage of the deal, officials said in the evening.",
                hoursAgo: 3),
            Story(
                title: "The quiet on the northern border has a price",
                url: "https://sample.israelhayom.test/opinions/northern-border/",
                section: "Opinions", tags: [], authors: ["Yoav Limor"], summary: "", hoursAgo: 9),
        ], moreInFirstSection: 2)

    static let hebrew = digest(
        language: "he", title: "ישראל היום – יומי",
        stories: [
            Story(
                title: "טורקיה לוחצת לקבל תפקיד בכוח בעזה למרות הווטו הישראלי",
                url: "https://sample.israelhayom.test/2026/12/turkey-gaza-force-veto-talks/", section: "חדשות > המזרח התיכון",
                tags: ["טורקיה", "כוח הייצוב הבינלאומי", "אזרבייג׳ן"], authors: ["אריאל כהנא", "עומר לוי", "נועה ברק"],
                summary: "אנקרה פועלת בוושינגטון כדי לקבל מקום בכוח הייצוב הבינלאומי, וירושלים מתנגדת לכך בתוקף ואומרת שלא.",
                hoursAgo: 5),
            Story(
                title: "שיחות קהיר מתחדשות על השלב השני של העסקה",
                url: "https://sample.israelhayom.test/2026/12/cairo-talks-resume-second-stage/", section: "חדשות > המזרח התיכון",
                tags: ["רצועת עזה", "מעבר רפיח", "צוות התיווך המצרי"], authors: ["מערכת"],
                summary: "המשלחות חזרו לקהיר כדי לדון בשלב השני של העסקה, כך נמסר הערב מגורמים מעורבים.", hoursAgo: 3),
            Story(
                title: "לשקט בגבול הצפון יש מחיר", url: "https://sample.israelhayom.test/opinions/northern-border/",
                section: "דעות",
                tags: [], authors: ["יואב לימור"], summary: "", hoursAgo: 9),
        ], moreInFirstSection: 2)

    static let links = DigestLinks.make(
        token: "v1.3.daily.AAAAAAAAAAAAAAAAAAAAAA", senderAddress: "digest@sample.israelhayom.test",
        unsubscribeTemplate: "https://news.sample.test/unsubscribe?token={token}",
        preferencesTemplate: "https://news.sample.test/preferences?token={token}")

    static func text(_ digest: Digest) throws -> String {
        let model = DigestViewModel(digest: digest, date: now, timeZone: zone, links: links)
        return try DigestTemplates.load().render(model).text
    }

    @Test(arguments: [("en", english), ("he", hebrew)])
    func textPart(language: String, digest: Digest) throws {
        let text = try Self.text(digest)
        try assertSnapshot(text, named: "language-\(language).txt")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines where !line.contains("https://") {
            #expect(DisplayWidth.of(line) <= 72, "too wide: \(line)")
        }
        // Every story's link is on one line, "[n] URL", under the story.
        for story in digest.entries.enumerated() {
            #expect(lines.contains { $0 == "    [\(story.offset + 1)] \(story.element.article.url)" }, "link \(story.offset + 1)")
        }
        // No tag name is broken across lines.
        for tag in digest.entries.flatMap(\.article.tags) {
            #expect(text.contains(tag.replacingOccurrences(of: " ", with: "\u{A0}")), "tag \(tag)")
        }
    }
}
