import Foundation

/// Renders HTML in headless Chromium (Debian's `chromium`) and measures the screenshot with
/// Tests/Tools/png_stats.py: what a reader's mail client would draw, checked by a browser.
public enum HeadlessChromium {
    public struct Screenshot: Decodable, Sendable {
        public var width: Int
        public var height: Int
        /// Distinct colours in a sample of the pixels.
        public var colours: Int
        /// Share of sampled pixels that differ from the page background.
        public var drawn: Double
        /// Share of the right-most column that is page background: 1 when nothing overflows.
        public var rightEdgeBackground: Double
    }

    public static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") }

    /// Screenshots `htmlFile` in a window `width` pixels wide into `png`, then measures it.
    public static func screenshot(_ htmlFile: URL, width: Int, height: Int = 1600, to png: URL) throws -> Screenshot {
        _ = try run(
            ["--hide-scrollbars", "--screenshot=\(png.path)", htmlFile.absoluteString], window: (width, height), dark: false)
        guard FileManager.default.fileExists(atPath: png.path) else { throw TestServerError("chromium wrote no screenshot") }
        let stats = Process()
        stats.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        stats.arguments = ["python3", RepoPaths.tools.appendingPathComponent("png_stats.py").path, png.path]
        let output = Pipe()
        stats.standardOutput = output
        try stats.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        stats.waitUntilExit()
        return try JSONDecoder().decode(Screenshot.self, from: data)
    }
}
