import Foundation
import GazetteTestSupport
import Mailing
import Testing

/// The HTML part as a browser draws it: headless Chromium at desktop and phone widths.
@Suite(.enabled(if: HeadlessChromium.isAvailable, "needs Debian's chromium (make test installs it)"))
struct HTMLRenderingTests {
    @Test(arguments: [680, 375])
    func theDigestDrawsWithinTheWindow(width: Int) throws {
        let model = DigestViewModel(
            digest: GoldenDigestTests.digest(), date: GoldenDigestTests.now, timeZone: GoldenDigestTests.zone,
            links: GoldenDigestTests.links)
        let html = try DigestTemplates.load().render(model).html
        let folder = try TemporaryDirectory("gazette-chromium")
        defer { folder.remove() }
        let file = folder.url.appendingPathComponent("digest.html")
        try html.write(to: file, atomically: true, encoding: .utf8)
        let shot = try HeadlessChromium.screenshot(file, width: width, to: folder.url.appendingPathComponent("shot.png"))
        #expect(shot.width == width)
        #expect(shot.colours > 50, "the page looks blank")
        #expect(shot.drawn > 0.15, "too little was drawn: \(shot.drawn)")
        // The card never runs off the right edge, on a phone either.
        #expect(shot.rightEdgeBackground > 0.99, "content overflows the window at \(width) px")
    }
}
