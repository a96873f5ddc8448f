import Foundation
import GazetteTestSupport
import Testing

/// `gazette run` killed with SIGKILL at a random moment of its fetch, build or send, fifty
/// times, each time on a fresh copy of the same starting state, then run again to the end:
/// the database passes `PRAGMA integrity_check` after every kill, no article is lost, every
/// subscriber's digest reaches the SMTP server, and never as two different messages.
@Suite struct CrashSafetyTests {
    static let trials = 50
    static let subscribersPerTrial = 12

    /// What one trial saw.
    struct Trial: Sendable {
        var killed: Bool
        /// The step the run was in when killed, from its last log line.
        var phase: String
        var integrity: String
        var articles: Int
        var sent: Int
        /// How long the first run took, when it was not killed.
        var runTime: Duration
    }

    @Test func killedRunsLoseNothingAndNeverSendADifferentSecondCopy() async throws {
        let smtp = try LoopbackSMTPServer()
        // How long a whole run takes here and now, so kills land anywhere in it.
        let runTime = try Self.runTrial(-1, smtp: smtp, killAfter: nil).runTime
        // Two trials at a time: the machine has two cores, and each trial waits on a child.
        let results = try await withThrowingTaskGroup(of: (Int, Trial).self) { group in
            var next = 0
            func start() {
                guard next < Self.trials else { return }
                let trial = next
                next += 1
                group.addTask {
                    var generator = SystemRandomNumberGenerator()
                    let fraction = Double.random(in: 0.05...1.0, using: &generator)
                    return (trial, try Self.runTrial(trial, smtp: smtp, killAfter: runTime * fraction))
                }
            }
            start()
            start()
            var results: [Int: Trial] = [:]
            while let (index, result) = try await group.next() {
                results[index] = result
                start()
            }
            return results
        }
        let trials = results.values
        #expect(trials.allSatisfy { $0.integrity == "ok" })
        #expect(trials.allSatisfy { $0.articles == 32 })
        #expect(trials.allSatisfy { $0.sent == Self.subscribersPerTrial })
        let killed = trials.filter(\.killed)
        #expect(killed.count >= Self.trials / 2, "too few runs were interrupted; the kill window is too late")

        let accepted = try smtp.accepted()
        var idsByRecipient: [String: Set<String>] = [:]
        for message in accepted {
            for recipient in message.to { idsByRecipient[recipient, default: []].insert(message.messageID) }
        }
        #expect(idsByRecipient.count == (Self.trials + 1) * Self.subscribersPerTrial)  // and the calibration run's
        // One Message-ID per subscriber: a run killed between the server's 250 and the ledger's
        // commit may hand the same message over again, which mail systems merge by its ID; a
        // different second message never goes out.
        #expect(idsByRecipient.values.allSatisfy { $0.count == 1 })
        let repeats = accepted.count - idsByRecipient.count
        let phases = Dictionary(grouping: killed, by: \.phase).mapValues(\.count)
        print("crash test: \(Self.trials) trials, \(killed.count) killed \(phases.sorted { $0.key < $1.key }), "
            + "\(accepted.count) messages accepted for \(idsByRecipient.count) subscribers (\(repeats) repeats of a Message-ID)")
    }

    /// One trial in a folder of its own: subscribers imported, a run started and killed after
    /// `killAfter` (the whole of the setup is timed when nil), the database checked, then a run to the end.
    static func runTrial(_ trial: Int, smtp: LoopbackSMTPServer, killAfter: Duration?) throws -> Trial {
        let folder = try TemporaryDirectory("gazette-crash-\(trial)")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url, delivery: TestConfig.smtp(smtp))
        let csv = "email\n" + (1...subscribersPerTrial).map { "reader\($0)-t\(trial)@sample.test" }.joined(separator: "\n") + "\n"
        try csv.write(to: folder.url.appendingPathComponent("subscribers.csv"), atomically: true, encoding: .utf8)
        guard try GazetteBinary.run(["subscribers", "import", "subscribers.csv"], in: folder.url).status == 0 else {
            throw TestServerError("import failed in trial \(trial)")
        }

        let log = folder.url.appendingPathComponent("run.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = GazetteBinary.url
        process.arguments = ["run", "--verbose"]
        process.currentDirectoryURL = folder.url
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        let started = ContinuousClock.now
        try process.run()
        var killed = false
        if let killAfter {
            usleep(UInt32(killAfter.components.seconds * 1_000_000 + killAfter.components.attoseconds / 1_000_000_000_000))
            killed = process.isRunning
            if killed { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        let runTime = ContinuousClock.now - started
        let lines = (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n") ?? []
        let integrity = try sqlite("PRAGMA integrity_check", folder.path("gazette.sqlite"))

        let final = try GazetteBinary.run(["run"], in: folder.url)
        guard final.status == 0 else { throw TestServerError("trial \(trial): the run after the kill failed: \(final.stderr)") }
        return Trial(
            killed: killed, phase: phase(of: lines.last.map(String.init) ?? ""), integrity: integrity,
            articles: Int(try sqlite("SELECT COUNT(*) FROM article", folder.path("gazette.sqlite"))) ?? -1,
            sent: Int(try sqlite("SELECT COUNT(*) FROM delivery WHERE status = 'sent'", folder.path("gazette.sqlite"))) ?? -1,
            runTime: runTime)
    }

    /// Where a killed run was, from the last line it logged: "start" (nothing yet), "fetch"
    /// (fetching, or a source fetched), "build" (an edition begun, nothing sent yet) or
    /// "send" (at least one message sent).
    static func phase(of line: String) -> String {
        if line.contains("sent to ") { return "send" }
        if line.contains("building and sending") { return "build" }
        return line.isEmpty ? "start" : "fetch"
    }

    static func count(_ sql: String, in path: String) throws -> Int {
        Int(try sqlite(sql, path)) ?? -1
    }

    /// Runs one query with Python's sqlite3 module: an independent reader of the file.
    static func sqlite(_ sql: String, _ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])", path, sql]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
