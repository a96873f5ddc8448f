import FeedParsing
import Foundation
import GazetteTestSupport
import Testing

@testable import GazetteCLI

/// `parse-feed --json` writes each feed's line straight from the `ParsedFeed`, and its times by
/// hand: both must write what `JSONValue` and the ISO 8601 format style wrote before.
@Suite struct FeedJSONTests {
    /// The line as a `JSONValue` of the feed wrote it.
    private func lineThroughJSONValue(_ feed: ParsedFeed) -> [UInt8] {
        func time(_ date: Date?) -> JSONValue { date.map { .string(RFC3339UTC.formatted($0)) } ?? .null }
        let entries = feed.items.map { item in
            JSONValue.object([
                ("id", .optional(item.guid)), ("title", .string(item.title)), ("link", .optional(item.link)),
                ("summary", .optional(item.summaryHTML)), ("content", .optional(item.contentHTML)),
                ("published", time(item.publishedAt)), ("updated", time(item.updatedAt)), ("authors", .strings(item.authors)),
                ("categories", .strings(item.categories.map(\.term))),
                (
                    "enclosures",
                    .array(
                        item.enclosures.map {
                            .object([("url", .string($0.url)), ("type", .optional($0.type)), ("length", $0.length.map(JSONValue.number) ?? .null)])
                        })
                ),
                ("image", .optional(item.imageURL)),
            ])
        }
        let value = JSONValue.object([
            ("format", .string(feed.format.rawValue)),
            (
                "feed",
                .object([
                    ("title", .string(feed.title)), ("link", .optional(feed.siteURL)), ("subtitle", .optional(feed.subtitle)),
                    ("language", .optional(feed.language)), ("updated", time(feed.updatedAt)), ("authors", .strings(feed.authors)),
                ])
            ),
            ("entries", .array(entries)), ("warnings", .strings(feed.warnings)),
        ])
        var bytes: [UInt8] = []
        value.write(to: &bytes)
        return bytes
    }

    private func expectSameLine(_ feed: ParsedFeed, _ comment: Comment, sourceLocation: SourceLocation = #_sourceLocation) {
        var bytes: [UInt8] = []
        FeedJSON.write(feed, to: &bytes)
        #expect(bytes == lineThroughJSONValue(feed), comment, sourceLocation: sourceLocation)
    }

    @Test func everyFixtureFeedWritesTheSameLine() throws {
        let folder = RepoPaths.root.appendingPathComponent("Tests/FeedParsingTests/Fixtures")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".xml") }.sorted()
        #expect(names.count > 20)
        var parsed = 0
        for name in names {
            let url = folder.appendingPathComponent(name)
            guard let feed = try? FeedParser.parse(try Data(contentsOf: url), baseURL: url.absoluteString) else { continue }
            parsed += 1
            expectSameLine(feed, "\(name)")
        }
        #expect(parsed > 20)
    }

    @Test func emptyAndFullFieldsWriteTheSameLine() {
        let when = Date(timeIntervalSince1970: 1_764_000_000.75)
        let full = FeedItem(
            guid: "g\"1\\", link: "https://a.test/x", title: "שלום \u{2028} </script>\n", summaryHTML: "<p>s</p>",
            contentHTML: "<p>c\u{1}</p>", authors: ["A", "B"], publishedAt: when, updatedAt: Date(timeIntervalSince1970: -1),
            categories: [FeedCategory(term: "x"), FeedCategory(term: "y", scheme: "z")],
            enclosures: [FeedEnclosure(url: "https://a.test/e.mp3", type: "audio/mpeg", length: 12), FeedEnclosure(url: "u")],
            imageURL: "https://a.test/i.jpg")
        expectSameLine(ParsedFeed(format: .rss20, title: "", items: []), "empty")
        expectSameLine(ParsedFeed(format: .atom10, title: "T", items: [FeedItem(title: "")]), "an empty item")
        expectSameLine(
            ParsedFeed(
                format: .json11, title: "T", siteURL: "https://a.test", subtitle: "S", language: "he", updatedAt: when,
                authors: ["א"], items: [full, FeedItem(title: "second")], warnings: ["w1", "w\"2"]),
            "full")
    }

    /// The hand-written times against the format style, over four centuries and beyond.
    @Test func timesAreTheFormatStyles() {
        var generator = SystemRandomNumberGenerator()
        var seconds: [Double] = [
            0, -1, -0.5, 0.999, 86_399.9, 86_400, 951_782_400, 951_868_800, 4_107_542_400, -2_208_988_800,
            RFC3339UTC.handled.lowerBound, RFC3339UTC.handled.lowerBound - 1, RFC3339UTC.handled.upperBound,
            RFC3339UTC.handled.upperBound + 1, RFC3339UTC.handled.upperBound + 0.5, -12_219_292_800, -62_135_596_800,
        ]
        for _ in 0..<20_000 { seconds.append(Double.random(in: -12_000_000_000...254_000_000_000, using: &generator)) }
        for _ in 0..<5_000 { seconds.append(Double(Int.random(in: -2_000_000_000...4_000_000_000, using: &generator))) }
        for value in seconds {
            let date = Date(timeIntervalSince1970: value)
            #expect(RFC3339UTC.string(date) == RFC3339UTC.formatted(date), "\(value)")
        }
    }
}
