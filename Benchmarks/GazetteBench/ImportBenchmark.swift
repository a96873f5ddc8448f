import FeedFetching
import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import Mailing

/// The subscriber-import case: a CSV of N subscribers from a seeded generator (the same file
/// on every run and machine), imported into a fresh SQLite file with the real import path,
/// then listed back through the streaming cursor. Peak memory is the process's own.
struct ImportBenchmark {
    let subscriberCount: Int
    let folder: URL

    struct Result {
        var generateSeconds: Double
        var importSeconds: Double
        /// CPU time (user + system) of the import: on a shared machine, wall time includes waiting for a core.
        var importCPUSeconds: Double
        var rowsPerSecond: Double
        var listSeconds: Double
        var fileMB: Double
        var databaseMB: Double
        var peakAfterImportMB: Double
        var peakAfterListMB: Double
        var added: Int
        var rejected: Int
    }

    /// Writes the CSV in 1 MB pieces: 70% take the whole list, 15% follow sections, 15% tags;
    /// every 20th name needs quotes (a comma), every 1,000th row is bad, every 500th repeats
    /// an earlier address in another case (merged).
    func generate(to file: URL) throws {
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var random = SeededRandom(seed: 7)
        let sections = ["News > Israel", "News > Middle East", "Opinions", "Culture > Books", "Sport"]
        let tags = ["Turkey", "ISF", "Elections", "Economy", "Tech"]
        var chunk = "\u{FEFF}email,name,lists,sections,tags\r\n"
        for index in 0..<subscriberCount {
            let lists = index % 3 == 0 ? "daily;weekly" : "daily"
            let roll = random.next(100)
            let follows = roll < 70 ? ",," : roll < 85 ? ",\(sections[random.next(sections.count)])," : ",,\(tags[random.next(tags.count)])"
            if index % 1_000 == 999 {
                chunk += "not-an-address-\(index),Bad Row,\(lists)\(follows)\r\n"
            } else if index % 500 == 250 {
                chunk += "READER\(index - 1)@EXAMPLE\((index - 1) % 97).TEST,,\(lists)\(follows)\r\n"
            } else {
                let name = index % 20 == 0 ? "\"Reader \(index), Esq.\"" : "Reader \(index)"
                chunk += "reader\(index)@example\(index % 97).test,\(name),\(lists)\(follows)\r\n"
            }
            if chunk.utf8.count > 1 << 20 {
                handle.write(Data(chunk.utf8))
                chunk = ""
            }
        }
        handle.write(Data(chunk.utf8))
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000_000
    }

    func run() throws -> Result {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let csv = folder.appendingPathComponent("subscribers-\(subscriberCount).csv")
        let databasePath = folder.appendingPathComponent("bench-\(UUID().uuidString.prefix(8)).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) }
        }
        let generateStart = Date()
        if !FileManager.default.fileExists(atPath: csv.path) { try generate(to: csv) }
        let generateSeconds = Date().timeIntervalSince(generateStart)

        let config = GazetteConfig(
            file: "bench.toml", databasePath: databasePath, delivery: .outbox(folder: folder.appendingPathComponent("outbox").path),
            sources: [],
            lists: [
                SubscriberList(name: "daily", title: "Bench Daily", senderName: "Bench", senderAddress: "bench@bench.test"),
                SubscriberList(name: "weekly", title: "Bench Weekly", senderName: "Bench", senderAddress: "bench@bench.test"),
            ])
        let environment = AppEnvironment(
            database: try AppDatabase.open(path: databasePath), http: NoHTTP(),
            transport: MaildirTransport(directory: folder.appendingPathComponent("outbox")), templates: try DigestTemplates.load())

        let importStart = Date()
        let cpuStart = Self.cpuSeconds()
        let report = try SubscriberImport(config: config, options: .init())
            .run(try CSVReader(path: csv.path), file: csv.lastPathComponent, environment: environment)
        let importSeconds = Date().timeIntervalSince(importStart)
        let importCPUSeconds = Self.cpuSeconds() - cpuStart
        let peakAfterImport = Memory.peakResidentMB()

        let listStart = Date()
        var bytes = 0
        try environment.database.forEachSubscriber(.init()) { subscriber, subscriptions in
            bytes += SubscriberCSV.lines(subscriber, subscriptions).utf8.count
        }
        let listSeconds = Date().timeIntervalSince(listStart)
        try environment.database.checkpoint()
        precondition(bytes > 0)

        func megabytes(_ path: String) -> Double {
            Double((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1_000_000
        }
        return Result(
            generateSeconds: generateSeconds, importSeconds: importSeconds, importCPUSeconds: importCPUSeconds,
            rowsPerSecond: Double(subscriberCount) / importSeconds, listSeconds: listSeconds, fileMB: megabytes(csv.path),
            databaseMB: megabytes(databasePath), peakAfterImportMB: peakAfterImport,
            peakAfterListMB: Memory.peakResidentMB(), added: report.added, rejected: report.rejected.count)
    }
}

/// The import fetches nothing.
struct NoHTTP: HTTPClient {
    func get(_ request: HTTPRequest) async throws -> HTTPResponse {
        throw FetchError.transport(url: request.url, reason: "the benchmark does not fetch")
    }
}
