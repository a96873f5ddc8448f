import FeedParsing
import Foundation

/// The parse case: every feed of a folder through `FeedParser.parse`, the code path of
/// `gazette parse-feed` and of every fetch. Files are read before the clock starts, so the
/// figure is parsing alone (into `ParsedFeed`s: items, categories, sanitized HTML, dates).
struct ParseBenchmark {
    let files: [(name: String, data: Data)]

    init(folder: String) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".xml") }.sorted()
        files = try names.map { ($0, try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent($0))) }
    }

    var bytes: Int { files.reduce(0) { $0 + $1.data.count } }

    struct Result {
        var seconds: Double
        var items: Int
        var failures: Int
    }

    func run() -> Result {
        let clock = ContinuousClock()
        var items = 0
        var failures = 0
        let start = clock.now
        for file in files {
            // The corpus's sites are siteNNNN.bench.test; relative links resolve against the feed's URL.
            let site = "https://site" + file.name.prefix(4) + ".bench.test/feed/"
            do {
                items += try FeedParser.parse(file.data, baseURL: site).items.count
            } catch {
                failures += 1
            }
        }
        return Result(seconds: (clock.now - start).seconds, items: items, failures: failures)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
