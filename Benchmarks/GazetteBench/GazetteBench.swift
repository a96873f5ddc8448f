import Foundation

/// `make bench`: runs each case after a warm-up, at least three times, and prints the medians.
/// `gazette-bench build [--articles N] [--subscribers N] [--window N]` runs one case once,
/// in a fresh process, so its peak memory is its own. `gazette-bench import [--subscribers N]`
/// imports a generated CSV of N subscribers into a fresh SQLite file, then lists them.
@main
struct GazetteBench {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        func option(_ name: String, _ fallback: Int) -> Int {
            guard let index = arguments.firstIndex(of: name), arguments.index(after: index) < arguments.endIndex else { return fallback }
            return Int(arguments[arguments.index(after: index)]) ?? fallback
        }
        if arguments.first == "import" {
            runImport(subscribers: option("--subscribers", 1_000_000))
            return
        }
        guard arguments.first == "build" else {
            print("usage: gazette-bench build [--articles N] [--subscribers N] [--window N] [--repeat N]")
            print("       gazette-bench import [--subscribers N]")
            return
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

    /// One import (the generated CSV is kept in .build/bench for the next run, so generating
    /// it is not measured twice); the target is a million rows in under 10 s and 300 MB.
    static func runImport(subscribers: Int) {
        let benchmark = ImportBenchmark(
            subscriberCount: subscribers,
            folder: URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/bench"))
        do {
            let result = try benchmark.run()
            print(String(
                format: "import: %d CSV rows (%.1f MB): %.2f s (%.0f rows/s; %.2f s of CPU), %d added, %d rejected; database %.1f MB; "
                    + "peak RSS %.0f MB after the import, %.0f MB after listing them all (%.2f s); generating the CSV took %.2f s",
                subscribers, result.fileMB, result.importSeconds, result.rowsPerSecond, result.importCPUSeconds, result.added, result.rejected, result.databaseMB,
                result.peakAfterImportMB, result.peakAfterListMB, result.listSeconds, result.generateSeconds))
        } catch {
            print("import benchmark failed: \(error)")
        }
    }
}
