import Foundation
import GazetteModel
import GazetteTestSupport
import Testing

@testable import Mailing

/// The chrome's words per language: the shipped files, plural forms, a user's strings files
/// and what the view model gives templates as `t`.
@Suite struct DigestStringsTests {
    static let now = Date(timeIntervalSince1970: 1_795_676_400)  // 2026-11-26 07:00 UTC
    static let zone = TimeZone(identifier: "Asia/Jerusalem") ?? .gmt

    static func model(language: String, articles: Int, more: Int = 0, strings: DigestStrings? = nil) -> DigestViewModel {
        var list = SubscriberList.fixture()
        list.language = language
        let entries = (0..<articles).map { index in
            DigestEntry(article: Article.fixture("Story \(index + 1)", firstSeenAt: now - Double(60 * (index + 1))))
        }
        let digest = Digest(
            list: list, subscriber: Subscriber(email: "r@sample.test", name: "Dana", createdAt: now),
            window: DigestWindow(start: now - 86_400, end: now),
            sections: entries.isEmpty && more == 0
                ? [] : [DigestSection(path: SectionPath(parsing: "News"), entries: entries, moreCount: more)],
            tagIndex: [])
        return DigestViewModel(
            digest: digest, date: now, timeZone: zone, links: DigestLinks(unsubscribeMailto: "mailto:x@sample.test"),
            strings: strings)
    }

    @Test func theEmbeddedStringsMatchTheStringsFolder() throws {
        let folder = RepoPaths.templates.appendingPathComponent("strings")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".toml") }
        #expect(Set(files.map { String($0.dropLast(5)) }) == Set(DefaultTemplates.strings.keys), "run `make templates`")
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(
                DefaultTemplates.strings[String(file.dropLast(5))] == text,
                "templates/strings/\(file) differs; run `make templates`")
        }
    }

    /// Hebrew ships complete: every key English has, with a form for each Hebrew category.
    @Test func englishAndHebrewShipComplete() throws {
        for (language, text) in DefaultTemplates.strings {
            _ = try DigestStrings.parse(text, language: language, file: language)
        }
        let english = try DigestStrings.parse(try #require(DefaultTemplates.strings["en"]), language: "en", file: "en")
        let hebrew = try DigestStrings.parse(try #require(DefaultTemplates.strings["he"]), language: "he", file: "he")
        #expect(Set(hebrew.texts.keys) == Set(english.texts.keys))
        #expect(Set(hebrew.plurals.keys) == Set(english.plurals.keys))
        for (key, forms) in hebrew.plurals {
            #expect(forms[.one] != nil && forms[.two] != nil && forms[.other] != nil, "he \(key)")
        }
        #expect(hebrew.direction == "rtl" && english.direction == "ltr")
        #expect(!hebrew.subject.isEmpty && !english.subject.isEmpty)
    }

    @Test func pluralCategoriesFollowEachLanguage() {
        #expect([0, 1, 2, 5].map { PluralCategory.of($0, language: "en") } == [.other, .one, .other, .other])
        #expect([1, 2, 3, 20].map { PluralCategory.of($0, language: "he-IL") } == [.one, .two, .other, .other])
        #expect([0, 1, 2, 3, 11, 100].map { PluralCategory.of($0, language: "ar") } == [.zero, .one, .two, .few, .many, .other])
        #expect([0, 1, 2].map { PluralCategory.of($0, language: "fa") } == [.one, .one, .other])
        #expect([1, 3, 5, 21].map { PluralCategory.of($0, language: "ru") } == [.one, .few, .many, .one])
    }

    /// A value is put in as it is: braces in a headline are the headline's, not placeholders.
    /// Filling replaced one placeholder after another, so a title's "{count}" became the count
    /// whenever the headlines happened to go in first.
    @Test func braceWordsInAValueAreNotFilled() throws {
        let english = try #require(DigestStrings.builtIn["en"])
        for _ in 0..<20 {
            #expect(
                english.plural("preheader", count: 3, ["headlines": "Win {count} prizes · {since} {title}", "since": "07:00"])
                    == "3 articles: Win {count} prizes · {since} {title}")
        }
        #expect(DigestStrings.filled("{{count}} {unknown} {", ["count": "2"]) == "{2} {unknown} {")
        #expect(DigestStrings.filled("no braces", ["count": "2"]) == "no braces")
    }

    @Test func hebrewCountsTakeTheirOwnForms() {
        let t = { (count: Int) in Self.model(language: "he", articles: count).t }
        #expect(t(1)["newArticles"] == "כתבה חדשה אחת")
        #expect(t(2)["newArticles"] == "שתי כתבות חדשות")
        #expect(t(7)["newArticles"] == "7 כתבות חדשות")
        #expect(t(1)["andMoreArticles"] == "")
        #expect(t(2)["andMoreArticles"] == "ועוד כתבה אחת")
        #expect(t(3)["andMoreArticles"] == "ועוד שתי כתבות")
        #expect(Self.model(language: "en", articles: 1).t["newArticles"] == "1 new article")
        #expect(Self.model(language: "en", articles: 4).t["newArticles"] == "4 new articles")
    }

    @Test func aHebrewListGetsHebrewChromeDatesAndDirection() {
        let model = Self.model(language: "he", articles: 2, more: 3)
        #expect(model.list.language == "he")
        #expect(model.list.direction == "rtl")
        #expect(model.date == "יום חמישי, 26 בנובמבר 2026")
        #expect(model.shortDate == "26 בנוב׳ 2026")
        #expect(model.t["unsubscribe"] == "ביטול המינוי")
        #expect(model.t["youReceive"] == "Sample Daily נשלח אליך לכתובת")
        #expect(model.sections.first?.moreText == "ועוד 3 כתבות במדור News")
        #expect(model.preheader == "שתי כתבות: Story 1 · Story 2")

        let english = Self.model(language: "en", articles: 2, more: 1)
        #expect(english.list.direction == "ltr")
        let regional = Self.model(language: "he-IL", articles: 1)
        #expect(regional.list.language == "he-IL" && regional.list.direction == "rtl")
        #expect(regional.t["newArticles"] == "כתבה חדשה אחת")
        #expect(english.date == "Thursday, 26 November 2026")
        #expect(english.sections.first?.moreText == "and 1 more in News")
        #expect(english.t["nothingNewSince"] == "Nothing new since 25 Nov 2026, 09:00")
    }

    @Test func hebrewChromeRendersInBothParts() throws {
        let rendered = try DigestTemplates.load().render(Self.model(language: "he", articles: 2))
        #expect(rendered.text.contains("שתי כתבות חדשות עבור Dana"))
        #expect(rendered.text.contains("ביטול המינוי: mailto:x@sample.test"))
        #expect(rendered.text.contains("    26 בנוב׳ 2026, 08:58 · מאת \u{2068}Staff\u{2069}"))  // a Latin name isolated in a Hebrew line
        #expect(!rendered.text.contains("Unsubscribe"))
    }

    @Test func aUserStringsFileAddsALanguageAndChangesAString() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let strings = folder.url.appendingPathComponent("strings")
        try FileManager.default.createDirectory(at: strings, withIntermediateDirectories: true)
        try Data("[strings]\nunsubscribe = \"Leave the list\"\n".utf8).write(to: strings.appendingPathComponent("en.toml"))
        try Data(
            """
            locale = "fr_FR"
            long_date = "EEEE d MMMM yyyy"
            [strings]
            unsubscribe = "Se désabonner"  # a comment
            [strings.newArticles]
            one = "{count} nouvel article"
            other = "{count} nouveaux articles"
            """.utf8
        ).write(to: strings.appendingPathComponent("fr.toml"))
        let templates = try DigestTemplates.load(overrideDirectory: folder.url.path)
        #expect(templates.strings(for: "en")?.text("unsubscribe") == "Leave the list")
        #expect(templates.strings(for: "en")?.text("topStories") == "Top stories")
        let french = try #require(templates.strings(for: "fr-CA"))
        #expect(french.direction == "ltr")
        #expect(french.text("by") == "by")  // not translated: English
        let model = Self.model(language: "fr", articles: 1, strings: french)
        #expect(model.t["newArticles"] == "1 nouvel article")
        #expect(model.date == "jeudi 26 novembre 2026")
        #expect(try templates.render(model).text.contains("Se désabonner: mailto:x@sample.test"))
        #expect(DigestTemplates.languages(inFolder: folder.url.path) == ["en", "fr"])
        #expect(templates.strings(for: "de") == nil)
    }

    @Test func aBrokenStringsFileIsReportedWithItsLine() {
        func problem(_ text: String) -> TemplateError? {
            do {
                _ = try DigestStrings.parse(text, language: "xx", file: "strings/xx.toml")
                return nil
            } catch {
                return error
            }
        }
        #expect(
            problem("[strings]\nby = \"by\"\nand = \"and")
                == .strings(file: "strings/xx.toml", line: 3, reason: "the text has no closing quote"))
        #expect(
            problem("[other]\n")?.description
                == "strings file strings/xx.toml, line 1: a table header must be [strings] or [strings.key]")
        #expect(problem("colour = \"red\"\n")?.description.contains("unknown key colour") == true)
        #expect(problem("direction = \"up\"\n")?.description.contains("direction must be") == true)
        #expect(problem("[strings.x]\none = \"a\"\n")?.description.contains("no `other` form") == true)
        #expect(problem("[strings.x]\nsome = \"a\"\nother = \"b\"\n")?.description.contains("not some") == true)
        #expect(problem("[strings]\nq = \"say \\\"hi\\\" \\u05D0\"\n") == nil)
        // Saved by Notepad: a byte-order mark and CRLF line ends.
        let windows = try? DigestStrings.parse("\u{FEFF}# comment\r\n[strings]\r\nby = \"par\"\r\n", language: "fr", file: "fr.toml")
        #expect(windows?.text("by") == "par")
        #expect(
            DigestTemplates.isLanguageCode("pt-BR") && DigestTemplates.isLanguageCode("he")
                && !DigestTemplates.isLanguageCode("hebrew"))
    }
}
