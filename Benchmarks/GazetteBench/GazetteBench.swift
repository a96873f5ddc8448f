import Foundation

/// `make bench`: runs each case after a warm-up, at least three times, and prints the medians.
/// `gazette-bench build [--articles N] [--subscribers N] [--window N]` runs one case once,
/// in a fresh process, so its peak memory is its own.
@main
struct GazetteBench {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard arguments.first == "build" else {
            print("usage: gazette-bench build [--articles N] [--subscribers N] [--window N] [--repeat N]")
            return
        }
        func option(_ name: String, _ fallback: Int) -> Int {
            guard let index = arguments.firstIndex(of: name), arguments.index(after: index) < arguments.endIndex else { return fallback }
            return Int(arguments[arguments.index(after: index)]) ?? fallback
        }
        let benchmark = BuildBenchmark(
            articleCount: option("--articles", 100_000), subscriberCount: option("--subscribers", 10_000),
            windowArticles: option("--window", 1_500))
        let repeats = max(option("--repeat", 3), 1)
        _ = benchmark.run()  // warm-up
        let results = (0..<repeats).map { _ in benchmark.run() }.sorted { $0.digestSeconds < $1.digestSeconds }
        let median = results[results.count / 2]
        print(String(
            format: "build: %d articles (%d in the window), %d subscribers: pool %.3f s, digests %.3f s (%.0f digests/s), %d entries, peak RSS %.0f MB",
            benchmark.articleCount, benchmark.windowArticles, benchmark.subscriberCount, median.poolSeconds, median.digestSeconds,
            median.digestsPerSecond, median.articlesSelected, median.residentMB))
    }
}
