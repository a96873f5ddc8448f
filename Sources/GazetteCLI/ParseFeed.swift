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
            var unreadable = 0
            // Inputs are read one after another, as before, and parsed a window at a time on
            // every core; what each prints keeps the order of the inputs.
            let window = max(1, ProcessInfo.processInfo.activeProcessorCount) * 4
            for start in stride(from: 0, to: inputs.count, by: window) {
                var documents: [(input: String, document: Result<DocumentInput.Document, any Error>)] = []
                for input in inputs[start..<min(start + window, inputs.count)] {
                    do {
                        documents.append((input, .success(try await DocumentInput.read(input, address: baseURL))))
                    } catch {
                        documents.append((input, .failure(error)))
                    }
                }
                let outcomes = await Self.parse(documents, json: json, contentType: contentType)
                for outcome in outcomes {
                    do {
                        Self.write(try outcome.result.get())
                    } catch {
                        let input = outcome.input
                        failures += 1
                        if case .unreadableFile? = error as? FetchError { unreadable += 1 }
                        let message = String(describing: error)
                        if inputs.count == 1 {
                            GazetteExit.printError("\(input): \(message)")
                        } else if json {
                            Self.write(line: JSONValue.object([("file", .string(input)), ("error", .string(message))]).rendered)
                        } else {
                            Self.write(line: "\(input): error: \(message)")
                        }
                    }
                }
            }
            if unreadable == inputs.count { throw GazetteExit.noInput }
            if failures > 0 { throw failures == inputs.count ? GazetteExit.runFailed : GazetteExit.partialFailure }
        }

        /// Writes output lines as UTF-8 straight to stdout: a JSON line is made as bytes
        /// (`JSONValue.write`), and making a `String` of it to print was a copy and a check of
        /// every byte. Every line of `parse-feed` goes this way, so they keep their order.
        private static func write(_ bytes: [UInt8]) {
            try? FileHandle.standardOutput.write(contentsOf: bytes)
        }

        private static func write(line: String) { write(Array((line + "\n").utf8)) }

        /// Each document's output line (JSON or the summary, with its line feed), or why it
        /// has none, in order; parsed concurrently: parsing is pure, and it is most of
        /// `parse-feed`'s time.
        private static func parse(
            _ documents: [(input: String, document: Result<DocumentInput.Document, any Error>)], json: Bool, contentType: String?
        ) async -> [(input: String, result: Result<[UInt8], any Error>)] {
            await withTaskGroup(of: (Int, Result<[UInt8], any Error>).self) { group in
                for (index, (input, document)) in documents.enumerated() {
                    group.addTask {
                        let line = Result<[UInt8], any Error> {
                            let document = try document.get()
                            let feed = try FeedParser.parse(
                                document.data, baseURL: document.address, contentType: contentType ?? document.contentType)
                            guard json else { return Array((FeedJSON.summary(feed, input: input) + "\n").utf8) }
                            var bytes: [UInt8] = []
                            FeedJSON.object(feed).write(to: &bytes)
                            bytes.append(0x0A)
                            return bytes
                        }
                        return (index, line)
                    }
                }
                var lines = [Result<[UInt8], any Error>?](repeating: nil, count: documents.count)
                for await (index, line) in group { lines[index] = line }
                return zip(documents, lines).map { ($0.input, $1 ?? .failure(CancellationError())) }
            }
        }
    }
}

/// Reads one input of `parse-feed` or `extract`: a file path, or an http(s) URL fetched with
/// the same limits and errors as a source (a non-2xx answer is a `FetchError`).
enum DocumentInput {
    typealias Document = (data: Data, contentType: String?, address: String)

    /// - Parameter address: what relative links resolve against; by default the file's URL
    ///   or the final URL after redirects.
    static func read(_ input: String, address: String?) async throws -> Document {
        if input.hasPrefix("http://") || input.hasPrefix("https://") {
            switch try await FeedFetcher(http: CurlHTTPClient()).fetchDocument(input) {
            case .fetched(let data, let contentType, let finalURL, _): return (data, contentType, address ?? finalURL)
            case .notModified: throw FetchError.httpStatus(304, url: input)
            }
        }
        let url = URL(fileURLWithPath: input)
        do {
            return (try Data(contentsOf: url), nil, address ?? url.absoluteString)
        } catch {
            throw FetchError.unreadableFile(path: input, reason: PlainFileError.reason(error))
        }
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
                    ("language", .optional(feed.language)), ("updated", .time(feed.updatedAt)),
                    ("authors", .strings(feed.authors)),
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
                .array(
                    item.enclosures.map { enclosure in
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
