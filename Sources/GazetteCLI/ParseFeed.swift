import ArgumentParser
import FeedFetching
import FeedParsing
import Foundation
import GazetteApp

extension GazetteCommand {
    struct ParseFeed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "parse-feed",
            abstract: "Parse feeds (files or URLs) and print what Gazette reads from them.",
            discussion: """
                With --json, prints one JSON object per input, one per line, in input order: \
                {"format", "feed", "entries", "warnings"}; an input that fails becomes \
                {"file", "error"}. Times are RFC 3339 UTC; missing values are null or [].
                """)

        @Argument(help: "Feed files or http(s) URLs.") var inputs: [String]
        @Flag(help: "JSON Lines output, one object per input.") var json = false
        @Option(help: "Resolve relative links against this URL (default: the file's or the final URL).") var baseURL: String?
        @Option(help: "Treat the input as having this Content-Type (its charset decides the encoding).") var contentType: String?

        func run() async throws {
            var failures = 0
            for input in inputs {
                do {
                    let feed = try await FeedInput.parse(input, baseURL: baseURL, contentType: contentType)
                    print(json ? FeedJSON.object(feed).rendered : FeedJSON.summary(feed, input: input))
                } catch {
                    failures += 1
                    let message = String(describing: error)
                    if inputs.count == 1 {
                        GazetteExit.printError("\(input): \(message)")
                    } else if json {
                        print(JSONValue.object([("file", .string(input)), ("error", .string(message))]).rendered)
                    } else {
                        print("\(input): error: \(message)")
                    }
                }
            }
            if failures > 0 { throw failures == inputs.count ? GazetteExit.runFailed : GazetteExit.partialFailure }
        }
    }
}

/// Reads one `parse-feed` input: a file path or an http(s) URL.
enum FeedInput {
    static func parse(_ input: String, baseURL: String?, contentType: String?) async throws -> ParsedFeed {
        if input.hasPrefix("http://") || input.hasPrefix("https://") {
            let response = try await CurlHTTPClient().get(HTTPRequest(url: input))
            guard (200..<300).contains(response.status) else { throw FetchError.httpStatus(response.status, url: input) }
            return try FeedParser.parse(
                response.body, baseURL: baseURL ?? response.finalURL, contentType: contentType ?? response.headers["content-type"])
        }
        let url = URL(fileURLWithPath: input)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw FetchError.unreadableFile(path: input, reason: (error as NSError).localizedDescription)
        }
        return try FeedParser.parse(data, baseURL: baseURL ?? url.absoluteString, contentType: contentType)
    }
}

/// `parse-feed`'s output shapes.
enum FeedJSON {
    static func object(_ feed: ParsedFeed) -> JSONValue {
        .object([
            ("format", .string(feed.format.rawValue)),
            (
                "feed",
                .object([
                    ("title", .string(feed.title)), ("link", .optional(feed.siteURL)), ("subtitle", .optional(feed.subtitle)),
                    ("language", .optional(feed.language)), ("updated", .time(feed.updatedAt)), ("authors", .strings(feed.authors)),
                ])
            ),
            ("entries", .array(feed.items.map(entry))),
            ("warnings", .strings(feed.warnings)),
        ])
    }

    private static func entry(_ item: FeedItem) -> JSONValue {
        .object([
            ("id", .optional(item.guid)), ("title", .string(item.title)), ("link", .optional(item.link)),
            ("summary", .optional(item.summaryHTML)), ("content", .optional(item.contentHTML)),
            ("published", .time(item.publishedAt)), ("updated", .time(item.updatedAt)), ("authors", .strings(item.authors)),
            ("categories", .strings(item.categories.map(\.term))),
            (
                "enclosures",
                .array(item.enclosures.map { enclosure in
                    .object([
                        ("url", .string(enclosure.url)), ("type", .optional(enclosure.type)),
                        ("length", enclosure.length.map(JSONValue.number) ?? .null),
                    ])
                })
            ),
            ("image", .optional(item.imageURL)),
        ])
    }

    /// One readable line per input, for people.
    static func summary(_ feed: ParsedFeed, input: String) -> String {
        var line = "\(input): \(feed.format.rawValue) \"\(feed.title)\", \(feed.items.count) entries"
        if !feed.warnings.isEmpty { line += "\n" + feed.warnings.map { "  warning: \($0)" }.joined(separator: "\n") }
        return line
    }
}
