import Foundation

/// A mail's HTML in headless Chromium at a reader's width. Chromium's headless window lays
/// pages out at least 500 px wide whatever `--window-size` says (a 375 px screenshot is the
/// left of a 500 px layout), so the mail goes into an iframe exactly as wide as the phone,
/// and Tests/Tools/mail_audit.js measures it there.
extension HeadlessChromium {
    /// What mail_audit.js measured.
    public struct MailAudit: Decodable, Sendable {
        public struct Text: Decodable, Sendable {
            public var text: String
            public var ratio: Double
            public var needed: Double
            public var colour: String
            public var background: String
        }

        public struct SmallLink: Decodable, Sendable {
            public var text: String
            public var width: Int
            /// Where the mail's content ends, in CSS pixels.
            public var height: Int
        }

        /// Where a headline's block and its first character lie, in CSS pixels.
        public struct Block: Decodable, Sendable {
            public var title: String
            public var direction: String
            public var textAlign: String
            public var firstCharacterRight: Double
            public var firstCharacterLeft: Double
            public var contentRight: Double
            public var contentLeft: Double
        }

        public var viewportWidth: Int
        public var scrollWidth: Int
        public var height: Int
        public var prefersDark: Bool
        public var styleBlocks: Int
        /// How many visible pieces of text were measured.
        public var texts: Int
        /// Texts below WCAG AA: 4.5:1, or 3:1 for large text.
        public var failures: [Text]
        /// Links (not headlines or images) smaller than 24 × 24 px.
        public var smallLinks: [SmallLink]
        public var blocks: [Block]
    }

    /// Lays `html` out `width` px wide, light or dark, and measures it; `titles` name the
    /// headlines (`<h3>`) whose direction to report.
    public static func audit(mail html: String, width: Int, dark: Bool, titles: [String], in folder: URL) throws -> MailAudit {
        let script = try String(contentsOf: RepoPaths.tools.appendingPathComponent("mail_audit.js"), encoding: .utf8)
        let titlesJSON = String(decoding: try JSONEncoder().encode(titles), as: UTF8.self)
        let page = harness(
            mail: html, width: width, height: 6000,
            script: script + """

                function report(frame) {
                  const json = JSON.stringify(auditMail(frame, \(titlesJSON)));
                  document.getElementById('audit').textContent = 'AUDIT:' + btoa(unescape(encodeURIComponent(json))) + ':AUDIT';
                }
                """)
        let file = folder.appendingPathComponent("audit-\(width)-\(dark ? "dark" : "light").html")
        try page.write(to: file, atomically: true, encoding: .utf8)
        let dom = try run(["--dump-dom", file.absoluteString], window: (width, 800), dark: dark)
        guard let encoded = dom.firstMatch(of: /AUDIT:([A-Za-z0-9+\/=]+):AUDIT/)?.1,
            let json = Data(base64Encoded: String(encoded))
        else { throw TestServerError("chromium ran no audit of the mail (is Tests/Tools/mail_audit.js broken?)") }
        return try JSONDecoder().decode(MailAudit.self, from: json)
    }

    /// A screenshot of the mail `width` px wide and `height` tall, light or dark.
    public static func screenshot(mail html: String, width: Int, height: Int, dark: Bool, to png: URL) throws {
        let file = png.deletingPathExtension().appendingPathExtension("html")
        try harness(mail: html, width: width, height: height, script: "function report(frame) {}")
            .write(to: file, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(at: png)
        _ = try run(["--hide-scrollbars", "--screenshot=\(png.path)", file.absoluteString], window: (width, height), dark: dark)
        guard FileManager.default.fileExists(atPath: png.path) else { throw TestServerError("chromium wrote no screenshot") }
    }

    /// A page holding the mail in a `width` px iframe (srcdoc: same origin, so the script
    /// can read its layout) that calls `report(frame)` once the mail has loaded.
    private static func harness(mail html: String, width: Int, height: Int, script: String) -> String {
        let source = html.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
        return """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><style>html, body { margin: 0; padding: 0; }</style>
            <script>\(script)</script></head>
            <body><iframe id="mail" onload="report(this)" style="display:block;border:0;width:\(width)px;height:\(height)px" srcdoc="\(source)"></iframe>
            <pre id="audit"></pre></body></html>
            """
    }

    /// Runs headless Chromium at a window size, light or dark, and returns what it printed.
    static func run(_ arguments: [String], window: (Int, Int), dark: Bool) throws -> String {
        let chromium = Process()
        chromium.executableURL = URL(fileURLWithPath: "/usr/bin/chromium")
        chromium.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--force-device-scale-factor=1",
                "--window-size=\(window.0),\(window.1)",
            ]
            + (dark ? ["--force-dark-mode"] : []) + arguments
        let output = Pipe()
        chromium.standardOutput = output
        chromium.standardError = FileHandle.nullDevice
        try chromium.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        chromium.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
