import Foundation

/// Writes a `gazette.toml` for a test: the given sources, a `[delivery]` table and the one
/// list every test mails ("daily", from digest@sample.israelhayom.test).
public enum TestConfig {
    /// The sample site's two feeds, read as files.
    public static var sampleFeeds: [(name: String, feed: String)] {
        [("news", RepoPaths.sampleSite.appendingPathComponent("feed.xml").path),
         ("opinions", RepoPaths.sampleSite.appendingPathComponent("opinions.atom").path)]
    }

    /// - Parameters:
    ///   - delivery: the lines of the `[delivery]` table; the outbox folder by default.
    ///   - top: top-level lines (database, timezone…).
    @discardableResult
    public static func write(
        in folder: URL, sources: [(name: String, feed: String)] = sampleFeeds,
        delivery: [String] = ["outbox = \"outbox\"", "retry_delays = []"],
        top: [String] = ["database = \"gazette.sqlite\""], list: [String] = [], file: String = "gazette.toml"
    ) throws -> URL {
        var lines = top + ["[delivery]"] + delivery
        for source in sources {
            // Tests mail the sample feeds' items from the first fetch on.
            lines += ["[[sources]]", "name = \"\(source.name)\"", "feed = \"\(source.feed)\"", "backfill = 1000"]
        }
        lines += [
            "[[lists]]", "name = \"daily\"", "title = \"Israel Hayom Sample Daily\"", "sender_name = \"Sample Digest\"",
            "sender_address = \"digest@sample.israelhayom.test\"", "stabilize_minutes = 0", "catch_up_hours = 24",
        ] + list
        let url = folder.appendingPathComponent(file)
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// The `[delivery]` lines for a loopback SMTP server without TLS.
    public static func smtp(_ server: LoopbackSMTPServer, retryDelays: String = "[]", extra: [String] = []) -> [String] {
        ["smtp = \"\(server.url)\"", "starttls = \"off\"", "retry_delays = \(retryDelays)"] + extra
    }
}
