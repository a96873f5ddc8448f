import Foundation
import GazetteTestSupport
import Testing

/// The random soak behind ADR 0004 (`make soak`, not `make test`: where a random kill lands
/// is luck, and `make test` may not depend on luck; `DeliveryCrashPointTests` kills at each
/// moment on purpose instead). `gazette run` is killed with SIGKILL at a random moment of
/// its fetch, build or send, `GAZETTE_SOAK_TRIALS` times (default 200), each on a fresh copy
/// of the same starting state, against SMTP servers that wait 50 ms before each 250 (half
/// keep a message whose client vanished meanwhile, half discard it), then run again to the
/// end. Figures go to stdout and `.build/soak/crash-soak.txt` (docs/reliability.md).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["GAZETTE_SOAK"] != nil, "make soak runs it"))
struct CrashSoakTests {
    static let trials = Int(ProcessInfo.processInfo.environment["GAZETTE_SOAK_TRIALS"] ?? "") ?? 200
    static let subscribersPerTrial = 12

    /// What one trial saw.
    struct Trial: Sendable {
        var killed: Bool
        /// The step the run was in when killed, from its last log line.
        var phase: String
        var integrity: String
        var articles: Int
        /// Ledger rows marked sent after the second run.
        var sent: Int
        /// How long the first run took, when it was not killed.
        var runTime: Duration
        /// For each sent row that was handed over: milliseconds from the hand-over mark (all
        /// but the last line break written) to the commit of the server's reply. A kill inside this
        /// window is the only one that can make a second copy.
        var windows: [Double] = []
    }

    @Test func randomKillsLoseNoDigestAndRepeatOnlyTheSameMessage() async throws {
        let servers = [
            try LoopbackSMTPServer(replyDelayMilliseconds: 50, clientGone: .store),
            try LoopbackSMTPServer(replyDelayMilliseconds: 50, clientGone: .discard),
        ]
        // The repeat window with a server that answers at once: what Gazette itself adds.
        let prompt = try LoopbackSMTPServer()
        let windows = try (0..<3).flatMap { try Self.runTrial(-3 - $0, smtp: prompt, killAfter: nil).windows }.sorted()
        let calibration = Calibration(
            try min(
                Self.runTrial(-1, smtp: servers[0], killAfter: nil).runTime, Self.runTrial(-2, smtp: servers[1], killAfter: nil).runTime))
        let results = try await withThrowingTaskGroup(of: (Int, Trial).self) { group in
            var next = 0
            func start() {
                guard next < Self.trials else { return }
                let trial = next
                next += 1
                group.addTask {
                    var generator = SystemRandomNumberGenerator()
                    let fraction = Double.random(in: 0.05...1.0, using: &generator)
                    let result = try Self.runTrial(trial, smtp: servers[trial % 2], killAfter: calibration.runTime * fraction)
                    if !result.killed { calibration.observe(result.runTime) }
                    return (trial, result)
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

        let accepted = try servers.flatMap { try $0.accepted() }
        let discarded = try servers.flatMap { try $0.discarded() }.count
        var idsByRecipient: [String: Set<String>] = [:]
        for message in accepted {
            for recipient in message.to { idsByRecipient[recipient, default: []].insert(message.messageID) }
        }
        let subscribers = (Self.trials + 2) * Self.subscribersPerTrial  // and the two calibration runs
        let lost = subscribers - idsByRecipient.count
        let repeats = accepted.count - idsByRecipient.count
        #expect(lost == 0, "\(lost) subscribers received nothing")
        #expect(idsByRecipient.values.allSatisfy { $0.count == 1 }, "a subscriber received two different messages")
        let phases = Dictionary(grouping: killed, by: \.phase).mapValues(\.count).sorted { $0.key < $1.key }
        let summary =
            "crash soak: \(Self.trials) trials, \(killed.count) killed \(phases), \(subscribers) subscribers, "
            + "\(accepted.count) messages stored, \(lost) lost, \(repeats) repeats of a Message-ID, "
            + "\(discarded) discarded by the server when the client vanished; "
            + "repeat window (hand-over mark to the reply's commit, server answering at once, \(windows.count) messages): "
            + "median \(Self.format(windows[windows.count / 2])) ms, max \(Self.format(windows.last ?? 0)) ms"
        print(summary)
        let folder = RepoPaths.root.appendingPathComponent(".build/soak")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try (summary + "\n").write(to: folder.appendingPathComponent("crash-soak.txt"), atomically: true, encoding: .utf8)
        #expect(killed.count >= Self.trials / 2, "too few runs were interrupted; the kill window is too late")
    }

    /// The length of a whole run, shared by the trials running at once.
    final class Calibration: @unchecked Sendable {
        private let lock = NSLock()
        private var shortest: Duration

        init(_ runTime: Duration) { shortest = runTime }

        var runTime: Duration { lock.withLock { shortest } }
        func observe(_ runTime: Duration) { lock.withLock { shortest = min(shortest, runTime) } }
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
        let database = folder.path("gazette.sqlite")
        let integrity = try CrashSafety.sqlite("PRAGMA integrity_check", database)

        let final = try GazetteBinary.run(["run"], in: folder.url)
        guard final.status == 0 else { throw TestServerError("trial \(trial): the run after the kill failed: \(final.stderr)") }
        return Trial(
            killed: killed, phase: phase(of: lines.last.map(String.init) ?? ""), integrity: integrity,
            articles: try CrashSafety.count("SELECT COUNT(*) FROM article", in: database),
            sent: try CrashSafety.count("SELECT COUNT(*) FROM delivery WHERE status = 'sent'", in: database),
            runTime: runTime,
            windows: try CrashSafety.sqlite(
                "SELECT group_concat((julianday(sentAt) - julianday(handedOverAt)) * 86400000.0, ' ') FROM delivery "
                    + "WHERE status = 'sent' AND handedOverAt IS NOT NULL", database
            ).split(separator: " ").compactMap { Double($0) })
    }

    static func format(_ milliseconds: Double) -> String { String(format: "%.1f", milliseconds) }

    /// Where a killed run was, from the last line it logged: "start" (nothing yet), "fetch"
    /// (fetching, or a source fetched), "build" (an edition begun, nothing sent yet) or
    /// "send" (at least one message sent).
    static func phase(of line: String) -> String {
        if line.contains("sent to ") { return "send" }
        if line.contains("building and sending") { return "build" }
        return line.isEmpty ? "start" : "fetch"
    }
}
