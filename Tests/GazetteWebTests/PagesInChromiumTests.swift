import Dispatch
import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Testing

/// The readers' pages as a phone's browser draws them: headless Chromium loads each from the
/// running server (no script runs: the pages have none) at phone and desktop widths.
@Suite(.enabled(if: HeadlessChromium.isAvailable, "needs Debian's chromium (make test installs it)"))
struct PagesInChromiumTests {
    @Test(arguments: [375, 800])
    func everyReadersPageDrawsWithinTheWindow(width: Int) async throws {
        let server = try await WebTestServer(web: ["base_url = \"http://127.0.0.1\"", "subscribe = true"])
        defer { server.stop() }
        let reader = try server.subscriber("phone@sample.test")
        _ = try await DailyRun(config: server.config, force: true).run(environment: server.environment)
        let token = server.token(reader).queryEncoded
        let archive = try await server.get("/archive/daily/")
        let edition = try #require(archive.body.firstMatch(of: /href="http:\/\/127\.0\.0\.1(\/archive\/daily\/[0-9T-]+\/)"/)?.1)
        for path in [
            "/unsubscribe?token=\(token)", "/preferences?token=\(token)", "/subscribe", "/archive/daily/", String(edition),
        ] {
            let png = server.folder.url.appendingPathComponent("shot-\(width).png")
            try? FileManager.default.removeItem(at: png)
            let shot = try await Self.screenshot(server.url(path), width: width, to: png)
            if let keep = ProcessInfo.processInfo.environment["GAZETTE_KEEP_SHOTS"] {
                let name = path.split(separator: "?").first!.replacingOccurrences(of: "/", with: "_")
                try? FileManager.default.copyItem(
                    at: png, to: URL(fileURLWithPath: keep).appendingPathComponent("\(width)\(name).png"))
            }
            #expect(shot.width == width)
            #expect(shot.drawn > 0.05, "\(path): too little was drawn (\(shot.drawn))")
            #expect(shot.rightEdgeBackground > 0.99, "\(path) overflows the window at \(width) px")
        }
        // Loading the pages changed nothing.
        #expect(try server.reload(reader).0.status == .active)
    }

    /// Chromium waits on the server in this process: run it off Swift's cooperative threads.
    private static func screenshot(_ url: URL, width: Int, to png: URL) async throws -> HeadlessChromium.Screenshot {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try HeadlessChromium.screenshot(url, width: width, height: 1200, to: png) })
            }
        }
    }
}
