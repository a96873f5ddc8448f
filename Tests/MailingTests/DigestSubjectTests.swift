import Foundation
import GazetteModel
import GazetteTestSupport
import Testing

@testable import Mailing

/// Subject lines from a template: the language's default leads with the top story, a list's
/// `subject` replaces it, and every digest (empty, one article, hostile titles) gets one line.
@Suite struct DigestSubjectTests {
    static let now = DigestStringsTests.now

    static func model(titles: [String], language: String = "en", subject: String? = nil, top: Bool = false) -> DigestViewModel {
        var list = SubscriberList.fixture()
        list.language = language
        list.subjectTemplate = subject
        let entries = titles.enumerated().map { index, title in
            DigestEntry(article: Article.fixture(title, firstSeenAt: now - Double(60 * (index + 1))))
        }
        let digest = Digest(
            list: list, subscriber: Subscriber(email: "r@sample.test", name: "Dana", createdAt: now),
            window: DigestWindow(start: now - 86_400, end: now), topStories: top ? Array(entries.prefix(1)) : [],
            sections: entries.isEmpty
                ? [] : [DigestSection(path: SectionPath(parsing: "News"), entries: Array(entries.dropFirst(top ? 1 : 0)))],
            tagIndex: [])
        return DigestViewModel(
            digest: digest, date: now, timeZone: .gmt, links: DigestLinks(unsubscribeMailto: "mailto:x@sample.test"))
    }

    @Test func theDefaultLeadsWithTheTopStory() {
        #expect(
            Self.model(titles: ["Cairo talks resume", "B", "C"], top: true).subject
                == "Cairo talks resume and 2 more — Sample Daily")
        #expect(Self.model(titles: ["Cairo talks resume", "B"]).subject == "Cairo talks resume and 1 more — Sample Daily")
        #expect(Self.model(titles: ["Cairo talks resume"]).subject == "Cairo talks resume — Sample Daily")
        #expect(Self.model(titles: []).subject == "Nothing new — Sample Daily")
    }

    @Test func aHebrewListGetsAHebrewDefault() {
        #expect(
            Self.model(titles: ["שיחות קהיר מתחדשות", "ב", "ג"], language: "he").subject
                == "שיחות קהיר מתחדשות ועוד שתי כתבות — Sample Daily")
        #expect(Self.model(titles: ["א", "ב", "ג", "ד"], language: "he").subject == "א ועוד 3 כתבות — Sample Daily")
        #expect(Self.model(titles: [], language: "he").subject == "אין חדש — Sample Daily")
    }

    @Test func aListSubjectTemplateReplacesTheDefault() {
        let subject = "{{list.title}}, {{shortDate}}: {{articleCount}} — {{leadStory}}"
        #expect(Self.model(titles: ["A & B <i>", "C"], subject: subject).subject == "Sample Daily, 26 Nov 2026: 2 — A & B <i>")
        // Line breaks and runs of spaces in a template or a title become one space.
        #expect(Self.model(titles: ["X"], subject: "{{list.title}}\n\n   {{leadStory}}  ").subject == "Sample Daily X")
        // A template that renders nothing, or one that does not parse, gives the title.
        #expect(Self.model(titles: ["X"], subject: "{{#isEmpty}}only when empty{{/isEmpty}}").subject == "Sample Daily")
        #expect(Self.model(titles: ["X"], subject: "{{#broken}}").subject == "Sample Daily")
        // Reader fields are empty: one digest's subject is the same for every reader.
        #expect(Self.model(titles: ["X"], subject: "{{reader.greetingName}} {{leadStory}}").subject == "X")
    }

    @Test func aBrokenSubjectIsNamed() {
        #expect(DigestSubject.problem(in: "{{leadStory}} — {{list.title}}") == nil)
        #expect(DigestSubject.problem(in: "{{#hasLeadStory}}{{leadStory}}") != nil)
    }

    @Test func theSubjectIsHeaderEncodedInTheMessage() throws {
        let model = Self.model(titles: ["שיחות קהיר מתחדשות", "B"], language: "he")
        let digest = Digest(
            list: .fixture(), subscriber: Subscriber(email: "r@sample.test", createdAt: Self.now),
            window: DigestWindow(start: Self.now - 60, end: Self.now), sections: [], tagIndex: [])
        let message = DigestMessageComposer.compose(
            digest: digest, rendered: RenderedDigest(text: "t", html: "<p>h</p>"), subject: model.subject,
            messageID: "m@sample.test",
            date: Self.now, links: DigestLinks(unsubscribeMailto: "mailto:x@sample.test"))
        let eml = String(decoding: MIMEWriter.render(message, boundary: "b", timeZone: .gmt), as: UTF8.self)
        let subjectLine = try #require(eml.split(separator: "\r\n").first { $0.hasPrefix("Subject:") })
        #expect(subjectLine.lowercased().hasPrefix("subject: =?utf-8?"))
        #expect(subjectLine.utf8.allSatisfy { $0 < 0x80 })
    }
}
