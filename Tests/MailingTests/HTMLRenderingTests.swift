import Foundation
import GazetteModel
import GazetteTestSupport
import Mailing
import Testing

/// The HTML part as a browser draws it: headless Chromium at phone and desktop widths, light
/// and dark, with the `<style>` block and without it (Gmail drops it for some accounts, and
/// then only the inline styles hold). mail_audit.js measures the layout inside the page.
@Suite(.enabled(if: HeadlessChromium.isAvailable, "needs Debian's chromium (make test installs it)"))
struct HTMLRenderingTests {
    struct Look: CustomTestStringConvertible, Sendable {
        var width: Int
        var dark: Bool
        var keepsStyle: Bool
        var testDescription: String { "\(width) px, \(dark ? "dark" : "light"), \(keepsStyle ? "with" : "without") <style>" }
    }

    static let looks = [375, 680].flatMap { width in
        [false, true].flatMap { dark in [true, false].map { Look(width: width, dark: dark, keepsStyle: $0) } }
    }

    @Test(arguments: looks)
    func theDigestReadsInEveryClientsLook(look: Look) throws {
        var html = try DigestTemplates.load().render(BidiDigest.model()).html
        if !look.keepsStyle { html = html.replacing(/<style>[\s\S]*?<\/style>/, with: "") }
        let folder = try TemporaryDirectory("gazette-chromium")
        defer { folder.remove() }
        let audit = try HeadlessChromium.audit(
            mail: html, width: look.width, dark: look.dark,
            titles: [BidiDigest.englishTitle, BidiDigest.hebrewTitle, BidiDigest.mixedTitle], in: folder.url)

        #expect(audit.prefersDark == look.dark, "Chromium did not emulate the colour scheme")
        #expect(audit.styleBlocks == (look.keepsStyle ? 1 : 0))
        #expect(audit.viewportWidth == look.width)
        // No sideways scrolling, on a phone either, with or without the media queries.
        #expect(audit.scrollWidth <= audit.viewportWidth, "the page is \(audit.scrollWidth) px wide in \(audit.viewportWidth) px")
        // Every visible text at WCAG AA against what is really behind it.
        #expect(audit.texts > 40, "too little text was measured: \(audit.texts)")
        for text in audit.failures {
            Issue.record("\"\(text.text)\" is \(text.ratio):1 (\(text.colour) on \(text.background)); AA needs \(text.needed):1")
        }
        for link in audit.smallLinks {
            Issue.record("link \"\(link.text)\" is \(link.width)×\(link.height) px; tap targets need 24×24")
        }

        // Hebrew headlines, the mixed one included, run right to left from the right edge; English from the left.
        #expect(audit.blocks.count == 3)
        for block in audit.blocks {
            let hebrew = block.title != BidiDigest.englishTitle
            #expect(block.direction == (hebrew ? "rtl" : "ltr"), "\(block.title)")
            #expect(block.textAlign == (hebrew ? "right" : "left"), "\(block.title)")
            if hebrew {
                #expect(abs(block.firstCharacterRight - block.contentRight) < 2, "\(block.title) does not start at the right")
            } else {
                #expect(abs(block.firstCharacterLeft - block.contentLeft) < 2, "\(block.title) does not start at the left")
            }
        }

        try writeReadmeScreenshot(html, look: look, height: audit.height)
    }

    /// A Hebrew list's own words run right to left too: the title, the index and the footer
    /// start at the right, English stories inside keep left to right.
    @Test(arguments: [375, 680])
    func aHebrewListsChromeRunsRightToLeft(width: Int) throws {
        var digest = BidiDigest.digest()
        digest.list.language = "he"
        digest.list.title = "ישראל היום – יומי"
        let model = DigestViewModel(digest: digest, date: BidiDigest.now, timeZone: BidiDigest.zone, links: BidiDigest.links)
        let html = try DigestTemplates.load().render(model).html
        #expect(html.contains("<html lang=\"he\" dir=\"rtl\""))
        #expect(html.contains("מעקב אחר תגית:"))
        let folder = try TemporaryDirectory("gazette-chromium")
        defer { folder.remove() }
        let audit = try HeadlessChromium.audit(
            mail: html, width: width, dark: false, titles: [digest.list.title, BidiDigest.englishTitle, BidiDigest.hebrewTitle],
            in: folder.url)
        #expect(audit.scrollWidth <= audit.viewportWidth)
        #expect(audit.failures.isEmpty, "\(audit.failures.map(\.text))")
        #expect(audit.smallLinks.isEmpty, "\(audit.smallLinks.map(\.text))")
        let byTitle = Dictionary(uniqueKeysWithValues: audit.blocks.map { ($0.title, $0) })
        let heading = try #require(byTitle[digest.list.title])
        #expect(heading.direction == "rtl")
        #expect(abs(heading.firstCharacterRight - heading.contentRight) < 2, "the list's title does not start at the right")
        #expect(byTitle[BidiDigest.englishTitle]?.direction == "ltr")
        #expect(byTitle[BidiDigest.hebrewTitle]?.direction == "rtl")
    }

    /// `GAZETTE_SCREENSHOTS=1` (`make screenshot`) also writes the README's pictures from the
    /// looks they show: desktop light, phone light (its first screens) and desktop dark.
    private func writeReadmeScreenshot(_ html: String, look: Look, height: Int) throws {
        guard ProcessInfo.processInfo.environment["GAZETTE_SCREENSHOTS"] == "1", look.keepsStyle else { return }
        let name: String
        switch (look.width, look.dark) {
        case (680, false): name = "digest.png"
        case (375, false): name = "digest-phone.png"
        case (680, true): name = "digest-dark.png"
        default: return
        }
        let png = RepoPaths.root.appendingPathComponent("docs").appendingPathComponent(name)
        try HeadlessChromium.screenshot(
            mail: html, width: look.width, height: look.width < 500 ? min(height, 1400) : height, dark: look.dark, to: png)
        try? FileManager.default.removeItem(at: png.deletingPathExtension().appendingPathExtension("html"))
    }
}
