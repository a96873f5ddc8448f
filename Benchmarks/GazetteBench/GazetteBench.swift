import Foundation
import GazetteModel
import Mailing

/// The in-process cases of `make bench` (Benchmarks/run.py drives them and the peers).
/// Each invocation runs one case in a fresh process, so its peak memory is its own: a
/// warm-up, then `--repeat` runs (default 3). It prints one line for people, then a line
/// `json: {…}` with every run's figures for the driver.
///
///     gazette-bench build  [--articles N] [--subscribers N] [--window N] [--repeat N]
///     gazette-bench parse  FOLDER [--repeat N]
///     gazette-bench render [--messages N] [--repeat N] [--full] [--dump-digest FILE] [--dump-message FILE]
///         (--full renders every message in full instead of splicing one shared rendering)
///     gazette-bench send   --url smtp://127.0.0.1:PORT [--count N] [--repeat N]
///     gazette-bench import [--subscribers N]   (a generated CSV into a fresh SQLite file, then listed)
@main
struct GazetteBench {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        func option(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            return arguments[index + 1]
        }
        func option(_ name: String, _ fallback: Int) -> Int { option(name).flatMap { Int($0) } ?? fallback }
        let repeats = max(option("--repeat", 3), 1)

        switch arguments.first {
        case "build":
            let benchmark = BuildBenchmark(
                articleCount: option("--articles", 100_000), subscriberCount: option("--subscribers", 10_000),
                windowArticles: option("--window", 1_500))
            _ = benchmark.run()  // warm-up
            let results = (0..<repeats).map { _ in benchmark.run() }
            let median = results.sorted { $0.digestSeconds < $1.digestSeconds }[results.count / 2]
            print(String(
                format: "build: %d articles (%d in the window), %d subscribers: pool %.3f s, digests %.3f s (%.0f digests/s), %d entries, peak RSS %.0f MB",
                benchmark.articleCount, benchmark.windowArticles, benchmark.subscriberCount, median.poolSeconds, median.digestSeconds,
                median.digestsPerSecond, median.articlesSelected, median.residentMB))
            report([
                "case": "build", "articles": benchmark.articleCount, "window": benchmark.windowArticles,
                "subscribers": benchmark.subscriberCount, "runs": results.map(\.digestSeconds),
                "pool_runs": results.map(\.poolSeconds), "peak_rss_mb": Memory.peakResidentMB(),
            ])

        case "parse":
            guard arguments.count > 1 else { return usage() }
            let benchmark = try ParseBenchmark(folder: arguments[1])
            _ = benchmark.run()
            let results = (0..<repeats).map { _ in benchmark.run() }
            let median = results.sorted { $0.seconds < $1.seconds }[results.count / 2]
            let megabytes = Double(benchmark.bytes) / 1e6
            print(String(
                format: "parse: %d feeds, %.1f MB, %d items: %.2f s, %.1f MB/s, %.0f items/s, %d failed",
                benchmark.files.count, megabytes, median.items, median.seconds, megabytes / median.seconds,
                Double(median.items) / median.seconds, median.failures))
            report([
                "case": "parse", "feeds": benchmark.files.count, "bytes": benchmark.bytes, "items": median.items,
                "failures": median.failures, "runs": results.map(\.seconds), "peak_rss_mb": Memory.peakResidentMB(),
            ])

        case "render":
            var benchmark = try RenderBenchmark(messages: option("--messages", 20_000))
            benchmark.full = arguments.contains("--full")
            // The shared rendering must give each message's bytes; checked before timing it.
            var template: DigestMessageTemplate?
            for index in 0..<min(benchmark.messages, 50)
            where benchmark.sharedMessage(for: index, template: &template) != benchmark.message(for: index) {
                print("render: the spliced message for subscriber \(index) differs from its full rendering")
                exit(1)
            }
            if let path = option("--dump-digest") { try benchmark.digestJSON().write(to: URL(fileURLWithPath: path)) }
            if let path = option("--dump-message") { try benchmark.message(for: 0).write(to: URL(fileURLWithPath: path)) }
            _ = benchmark.run()
            let results = (0..<repeats).map { _ in benchmark.run() }
            let median = results.sorted { $0.seconds < $1.seconds }[results.count / 2]
            print(String(
                format: "render: %d messages of a %d-article digest: %.2f s, %.0f messages/s, %.1f kB a message",
                benchmark.messages, benchmark.digest.articleCount, median.seconds, Double(benchmark.messages) / median.seconds,
                Double(median.bytes) / Double(benchmark.messages) / 1000))
            report([
                "case": "render", "mode": benchmark.full ? "full" : "shared", "messages": benchmark.messages, "articles": benchmark.digest.articleCount,
                "bytes_per_message": median.bytes / benchmark.messages, "runs": results.map(\.seconds),
                "peak_rss_mb": Memory.peakResidentMB(),
            ])

        case "import":
            runImport(subscribers: option("--subscribers", 1_000_000))
        case "send":
            guard let url = option("--url") else { return usage() }
            let message = try RenderBenchmark(messages: 1).message(for: 0)
            let benchmark = SendBenchmark(url: url, count: option("--count", 10_000), message: message)
            _ = await SendBenchmark(url: url, count: min(benchmark.count, 500), message: message).run()
            var results: [SendBenchmark.Result] = []
            for _ in 0..<repeats { results.append(await benchmark.run()) }
            let median = results.sorted { $0.seconds < $1.seconds }[results.count / 2]
            print(String(
                format: "send: %d messages of %.1f kB over one SMTP connection: %.2f s, %.0f messages/s, %d failed",
                benchmark.count, Double(message.count) / 1000, median.seconds, Double(benchmark.count) / median.seconds, median.failures))
            report([
                "case": "send", "messages": benchmark.count, "message_bytes": message.count, "failures": median.failures,
                "runs": results.map(\.seconds), "peak_rss_mb": Memory.peakResidentMB(),
            ])

        default:
            usage()
        }
    }

    static func usage() {
        print("usage: gazette-bench build|parse FOLDER|render|send --url URL [options]; see Benchmarks/GazetteBench/GazetteBench.swift")
    }

    /// The driver's line: `json: {…}`.
    static func report(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        print("json: " + String(decoding: data, as: UTF8.self))
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
