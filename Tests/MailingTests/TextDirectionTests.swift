import Foundation
import Testing

@testable import Mailing

/// Direction is decided on the server, from the story's language or its letters, and said
/// explicitly in both parts: `dir` and `<bdi>` in HTML, Unicode isolates in text.
@Suite struct TextDirectionTests {
    @Test func theLanguageDecidesWhenTheFeedGivesOne() {
        for language in ["he", "he-IL", "ar", "fa", "ur", "yi", "iw", "ckb", "ar_EG"] {
            #expect(TextDirection.of(language: language, text: "Plain English") == .rightToLeft, "\(language)")
        }
        for language in ["en", "en-US", "ru", "ku-Latn", "az-Latn"] {
            #expect(TextDirection.of(language: language, text: "שלום עולם") == .leftToRight, "\(language)")
        }
        #expect(TextDirection.of(language: "uz-Arab", text: "Salom") == .rightToLeft)
        #expect(TextDirection.of(language: "", text: "שלום עולם") == .rightToLeft)  // an empty tag says nothing
    }

    @Test func withoutALanguageTheLettersDecide() {
        #expect(TextDirection.of(language: nil, text: "הכנסת אישרה את התקציב") == .rightToLeft)
        #expect(TextDirection.of(language: nil, text: "مرحبا بالعالم") == .rightToLeft)
        #expect(TextDirection.of(language: nil, text: "Google משיקה מוצר חדש בישראל") == .rightToLeft)  // most letters are Hebrew
        #expect(TextDirection.of(language: nil, text: "Talks on שלב ב resume in Cairo") == .leftToRight)
        #expect(TextDirection.of(language: nil, text: "2026 – 17:00") == .leftToRight)  // no letters at all
        #expect(TextDirection.of(text: "abc אבג") == .leftToRight)  // a tie: the first letter
        #expect(TextDirection.of(text: "אבג abc") == .rightToLeft)
        #expect(TextDirection.of(text: "שָׁלוֹם") == .rightToLeft)  // niqqud are marks, not letters
    }

    @Test func onlyTheRunsInTheOtherDirectionAreIsolated() {
        #expect(
            DirectionRun.runs("שלב ב׳ – Cairo talks resume", in: .rightToLeft) == [
                DirectionRun(text: "שלב ב׳ – ", isolated: false), DirectionRun(text: "Cairo talks resume", isolated: true),
            ])
        #expect(
            DirectionRun.runs("Talks in קהיר, again (2)", in: .leftToRight) == [
                DirectionRun(text: "Talks in ", isolated: false), DirectionRun(text: "קהיר", isolated: true),
                DirectionRun(text: ", again (2)", isolated: false),
            ])
        #expect(
            DirectionRun.runs("נמסר ממקורות ב-Cairo ו-Gaza.", in: .rightToLeft) == [
                DirectionRun(text: "נמסר ממקורות ב-", isolated: false), DirectionRun(text: "Cairo", isolated: true),
                DirectionRun(text: " ו-", isolated: false), DirectionRun(text: "Gaza", isolated: true),
                DirectionRun(text: ".", isolated: false),
            ])
        #expect(DirectionRun.runs("Plain English", in: .leftToRight) == [DirectionRun(text: "Plain English", isolated: false)])
        #expect(DirectionRun.runs("", in: .leftToRight).isEmpty)
    }

    @Test func theTextPartIsolatesValuesAgainstTheListsDirection() {
        #expect(BidiIsolate.forText("Turkey", chrome: .leftToRight) == "Turkey")
        #expect(BidiIsolate.forText("מצרים", chrome: .leftToRight) == "\u{2068}מצרים\u{2069}")
        #expect(
            BidiIsolate.forText("שלב ב׳ – Cairo talks resume", chrome: .leftToRight)
                == "\u{2068}שלב ב׳\u{2069} – Cairo talks resume")
        #expect(
            BidiIsolate.forText("שלב ב׳ – Cairo talks resume", chrome: .leftToRight, direction: .rightToLeft)
                == "\u{2068}שלב ב׳ – Cairo talks resume\u{2069}")
        #expect(BidiIsolate.forText("Talks in קהיר resume", chrome: .leftToRight) == "Talks in \u{2068}קהיר\u{2069} resume")
        // A Hebrew list's lines run right to left already: only Latin values and runs are isolated.
        #expect(BidiIsolate.forText("מצרים", chrome: .rightToLeft) == "מצרים")
        #expect(BidiIsolate.forText("Gaza Strip", chrome: .rightToLeft) == "\u{2068}Gaza Strip\u{2069}")
        #expect(BidiIsolate.forText("שיחות ב-Cairo", chrome: .rightToLeft) == "שיחות ב-\u{2068}Cairo\u{2069}")
    }

    /// Two Hebrew tags on one line kept their order only by luck of the client: isolated,
    /// each stays where it was written, and the line stays left to right.
    @Test func hebrewTagsKeepTheirOrderInTheTextPart() throws {
        let model = BidiDigest.model()
        let budget = try #require(model.sections.first { $0.title == "News > Israel" }?.items.first)
        #expect(budget.tagLine == "\u{2068}כנסת\u{2069}\u{A0}· \u{2068}תקציב\u{2069}")
        let text = try DigestTemplates.load().render(model).text
        #expect(text.contains("Tags: \u{2068}כנסת\u{2069}\u{A0}· \u{2068}תקציב\u{2069}"))
        #expect(text.contains("\u{2068}\(BidiDigest.mixedTitle)\u{2069}"))
        #expect(text.contains("== \u{2068}דעות\u{2069} (1) =="))
        #expect(model.tagIndexLine.hasPrefix("Gaza\u{A0}Strip\u{A0}[1] [2]\u{A0}· \u{2068}כנסת\u{2069}\u{A0}[3]"))
        // The HTML part says direction with markup and keeps the values plain.
        let html = try DigestTemplates.load().render(model).html
        #expect(!html.contains("\u{2068}"))
    }

    @Test func storiesCarryTheirDirectionIntoTheHTML() throws {
        let model = BidiDigest.model()
        let items = model.topStories + model.sections.flatMap(\.items)
        let byTitle = Dictionary(uniqueKeysWithValues: items.map { ($0.title, $0) })
        let mixed = try #require(byTitle[BidiDigest.mixedTitle])
        #expect(mixed.language == nil)
        #expect(mixed.direction == "rtl" && mixed.align == "right" && mixed.isRightToLeft)
        #expect(mixed.titleRuns.filter(\.isolated).map(\.text) == ["Cairo talks resume"])
        #expect(mixed.tags.map(\.isolated) == [true, false])  // "Gaza Strip" runs against the story, "מצרים" with it
        #expect(try #require(byTitle[BidiDigest.englishTitle]).direction == "ltr")

        let html = try DigestTemplates.load().render(model).html
        #expect(html.contains("<bdi>Cairo talks resume</bdi>"))
        #expect(html.contains("dir=\"rtl\" lang=\"he\""))
        #expect(html.contains("text-align:right"))
        #expect(!html.contains("dir=\"auto\""))
    }

    @Test func tagsLinkToFollowingThemOnlyWhenThereIsAPreferencesPage() throws {
        let model = BidiDigest.model()
        let tag = try #require(model.topStories.first?.tags.first)
        #expect(tag.url == "https://news.sample.test/preferences?token=v1.7.daily.AAAAAAAAAAAAAAAAAAAAAA&follow_tag=Turkey")
        let hebrew = try #require(model.indexTags.first { $0.name == "כנסת" })
        #expect(hebrew.url?.hasSuffix("&follow_tag=%D7%9B%D7%A0%D7%A1%D7%AA") == true)
        #expect(hebrew.isolated)  // in the English index
        let html = try DigestTemplates.load().render(model).html
        #expect(html.contains("Follow a tag:"))
        #expect(html.contains("<a name=\"a1\" id=\"a1\"></a>"))
        #expect(html.contains("<a href=\"#news-israel\""))

        let bare = BidiDigest.model(links: DigestLinks(unsubscribeMailto: "mailto:digest@sample.israelhayom.test"))
        #expect(bare.topStories.first?.tags.allSatisfy { $0.url == nil && !$0.hasURL } == true)
        let plain = try DigestTemplates.load().render(bare).html
        #expect(!plain.contains("follow_tag"))
        #expect(
            plain.contains(
                "<span class=\"gz-meta\" style=\"display:inline-block;color:#5f5b53;margin:0 10px 0 0;\">#Turkey</span>"))
    }

    @Test func altTextLeavesOutThePhotoCredit() {
        #expect(DigestViewModel.withoutCredit("המשלחת הישראלית בקהיר (צילום: רויטרס)") == "המשלחת הישראלית בקהיר")
        #expect(DigestViewModel.withoutCredit("Flags outside the embassy (Photo: Reuters)") == "Flags outside the embassy")
        #expect(DigestViewModel.withoutCredit("Flags outside the embassy. Photo by: AP") == "Flags outside the embassy.")
        #expect(DigestViewModel.withoutCredit("A photographer's view of Haifa") == "A photographer's view of Haifa")
        #expect(DigestViewModel.withoutCredit("Photo: Reuters") == "Photo: Reuters")  // nothing else to say
        // The quick test before the pattern never turns away a caption the pattern matches.
        let captions = [
            "Flags (PHOTO: AP)", "Flags (Picture： Reuters)", "IMAGE by: x", "Credit:x", "photograph: y", "A (Photo by Reuters)",
            "קרדיט: דוברות", "صورة: رويترز", "تصوير: أ ف ب", "No credit here", "Photos of Haifa", "Time: 10:30",
            "Imagery: satellite", "ÎMAGE: x", "Ｐhoto: wide", "Phoτo: greek tau",
        ]
        for caption in captions where DigestViewModel.creditStart(caption) != nil {
            #expect(DigestViewModel.mayHoldCredit(caption), "\(caption)")
        }
        #expect(captions.filter { DigestViewModel.creditStart($0) != nil }.count >= 8)
    }

    @Test func thePreheaderSummarisesTheTopStoriesAndIsPadded() throws {
        let model = BidiDigest.model()
        #expect(model.preheader.contains(BidiDigest.englishTitle))
        let html = try DigestTemplates.load().render(model).html
        let preheader = try #require(html.firstMatch(of: /<div style="display:none;[^"]*">([^<]*)<\/div>/)?.1)
        #expect(preheader.hasPrefix(model.preheader.replacingOccurrences(of: "'", with: "&#39;")))
        #expect(preheader.components(separatedBy: "&zwnj;&nbsp;").count > 15)
    }
}
