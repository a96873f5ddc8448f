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
            /// Writes one input's line, or its error, when its turn comes.
            func report(_ line: Result<[UInt8], any Error>, of input: String) {
                do {
                    Self.write(try line.get())
                } catch {
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
            // Inputs are read one after another, each handed to a task that parses it while the
            // next is read; at most `ahead` are parsed or waiting to be written at a time, and
            // each line is written as soon as the lines before it are. (Reading a window of
            // inputs, then parsing it, then writing it left a core idle on the window's last
            // feed and while reading.)
            let ahead = max(1, ProcessInfo.processInfo.activeProcessorCount) * 4
            let (json, contentType) = (json, contentType)  // for the tasks, without `self`
            await withTaskGroup(of: (Int, Result<[UInt8], any Error>).self) { group in
                var finished: [Int: Result<[UInt8], any Error>] = [:]
                var written = 0
                func collect(_ index: Int, _ line: Result<[UInt8], any Error>) {
                    finished[index] = line
                    while let line = finished.removeValue(forKey: written) {
                        report(line, of: inputs[written])
                        written += 1
                    }
                }
                for (index, input) in inputs.enumerated() {
                    let document: Result<DocumentInput.Document, any Error>
                    do {
                        document = .success(try await DocumentInput.read(input, address: baseURL))
                    } catch {
                        document = .failure(error)
                    }
                    group.addTask { (index, Self.line(of: document, input: input, json: json, contentType: contentType)) }
                    while index + 1 - written >= ahead, let (done, line) = await group.next() { collect(done, line) }
                }
                for await (done, line) in group { collect(done, line) }
            }
            if unreadable == inputs.count { throw GazetteExit.noInput }
            if failures > 0 { throw failures == inputs.count ? GazetteExit.runFailed : GazetteExit.partialFailure }
        }

        /// Writes output lines as UTF-8 straight to stdout: a JSON line is made as bytes
        /// (`FeedJSON.write`), and making a `String` of it to print was a copy and a check of
        /// every byte. Every line of `parse-feed` goes this way, so they keep their order.
        private static func write(_ bytes: [UInt8]) {
            try? FileHandle.standardOutput.write(contentsOf: bytes)
        }

        private static func write(line: String) { write(Array((line + "\n").utf8)) }

        /// A document's output line (JSON or the summary, with its line feed), or why it has
        /// none. Pure, and most of `parse-feed`'s time: documents are parsed concurrently.
        private static func line(
            of document: Result<DocumentInput.Document, any Error>, input: String, json: Bool, contentType: String?
        ) -> Result<[UInt8], any Error> {
            Result {
                let document = try document.get()
                let feed = try FeedParser.parse(document.data, baseURL: document.address, contentType: contentType ?? document.contentType)
                guard json else { return Array((FeedJSON.summary(feed, input: input) + "\n").utf8) }
                // The line is about as long as the feed: one buffer, not one per doubling.
                var bytes: [UInt8] = []
                bytes.reserveCapacity(document.data.count + 4_096)
                FeedJSON.write(feed, to: &bytes)
                bytes.append(0x0A)
                return bytes
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
