import Foundation
import GazetteTestSupport
import Testing

/// `gazette run` killed with SIGKILL at a random moment of its fetch, build or send, fifty
/// times, each time on a fresh copy of the same starting state, then run again to the end:
/// the database passes `PRAGMA integrity_check` after every kill, no article is lost, every
/// subscriber's digest reaches the SMTP server exactly once.
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
        /// Ledger rows that reached the subscriber: sent, or handed over whole before the kill.
        var reached: Int
        /// Of those, handed over by the killed run and left unconfirmed (not sent again).
        var unconfirmed: Int
        /// How long the first run took, when it was not killed.
        var runTime: Duration
    }

    @Test func killedRunsLoseNothingAndNeverSendASecondCopy() async throws {
        let smtp = try LoopbackSMTPServer()
        // How long a whole run takes here and now, so kills land anywhere in it: the shorter
        // of two runs (the first pays for cold caches), then shortened by every trial that
        // finished before its kill, since the machine's load changes while the trials run.
        let calibration = Calibration(
            try min(Self.runTrial(-1, smtp: smtp, killAfter: nil).runTime, Self.runTrial(-2, smtp: smtp, killAfter: nil).runTime))
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
                    let result = try Self.runTrial(trial, smtp: smtp, killAfter: calibration.runTime * fraction)
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
        #expect(trials.allSatisfy { $0.reached == Self.subscribersPerTrial })
        let killed = trials.filter(\.killed)
        #expect(killed.count >= Self.trials / 2, "too few runs were interrupted; the kill window is too late")

        let accepted = try smtp.accepted()
        var idsByRecipient: [String: Set<String>] = [:]
        for message in accepted {
            for recipient in message.to { idsByRecipient[recipient, default: []].insert(message.messageID) }
        }
        #expect(idsByRecipient.count == (Self.trials + 2) * Self.subscribersPerTrial)  // and the two calibration runs
        // One message per subscriber: never a different second message, and never the same one
        // twice. A run killed after handing a message over whole (between the end of DATA and
        // the ledger's commit of the server's 250) leaves it unconfirmed, and the next run does
        // not send it again.
        #expect(idsByRecipient.values.allSatisfy { $0.count == 1 })
        let repeats = accepted.count - idsByRecipient.count
        #expect(repeats == 0, "a message reached the server twice")
        let phases = Dictionary(grouping: killed, by: \.phase).mapValues(\.count)
        print("crash test: \(Self.trials) trials, \(killed.count) killed \(phases.sorted { $0.key < $1.key }), "
            + "\(accepted.count) messages accepted for \(idsByRecipient.count) subscribers (\(repeats) repeats of a Message-ID, "
            + "\(trials.reduce(0) { $0 + $1.unconfirmed }) left unconfirmed by a kill and not sent again)")
    }

    /// The one window a random kill rarely hits, hit on purpose: the server has stored the
    /// whole message and is slow to answer (`slow-*` recipients wait 30 s before their 250),
    /// and the run is killed then. The next run must not send that message again; it says so,
    /// and `send --resend-unconfirmed` is the way to send it anyway (the same Message-ID).
    @Test func aRunKilledWhileTheServerHoldsTheWholeMessageDoesNotSendItAgain() throws {
        let smtp = try LoopbackSMTPServer()
        let folder = try TemporaryDirectory("gazette-unconfirmed")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url, delivery: TestConfig.smtp(smtp))
        let readers = ["first@sample.test", "slow-second@sample.test", "third@sample.test"]
        try ("email\n" + readers.joined(separator: "\n") + "\n")
            .write(to: folder.url.appendingPathComponent("subscribers.csv"), atomically: true, encoding: .utf8)
        #expect(try GazetteBinary.run(["subscribers", "import", "subscribers.csv"], in: folder.url).status == 0)

        let run = try GazetteBinary.start(["run"], in: folder.url)
        let deadline = ContinuousClock.now + .seconds(60)
        while try !smtp.accepted().contains(where: { $0.to.contains(readers[1]) }), ContinuousClock.now < deadline, run.isRunning {
            usleep(20_000)
        }
        #expect(run.isRunning, "the run should still be waiting for the slow server's answer")
        kill(run.processIdentifier, SIGKILL)
        run.waitUntilExit()
        let database = folder.path("gazette.sqlite")
        #expect(try Self.count("SELECT COUNT(*) FROM delivery WHERE status = 'pending' AND handedOverAt IS NOT NULL", in: database) == 1)

        let rerun = try GazetteBinary.run(["run"], in: folder.url)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("slow-second@sample.test: an interrupted run handed this digest to the mail server whole"))
        #expect(rerun.stdout.contains("unconfirmed: 1"))
        func copies(_ reader: String) throws -> [String] { try smtp.accepted().filter { $0.to.contains(reader) }.map(\.messageID) }
        for reader in readers {
            let count = try copies(reader).count
            #expect(count == 1, "\(reader) got \(count) copies")
        }

        let resend = try GazetteBinary.run(["send", "--resend-unconfirmed"], in: folder.url)
        #expect(resend.status == 0, "\(resend.stderr)")
        let slowCopies = try copies(readers[1])
        #expect(slowCopies.count == 2 && Set(slowCopies).count == 1, "asked for: the same message once more")
        #expect(try copies(readers[0]).count == 1 && copies(readers[2]).count == 1)
        #expect(try Self.count("SELECT COUNT(*) FROM delivery WHERE status = 'sent'", in: database) == 3)
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
        let integrity = try sqlite("PRAGMA integrity_check", folder.path("gazette.sqlite"))

        let final = try GazetteBinary.run(["run"], in: folder.url)
        guard final.status == 0 else { throw TestServerError("trial \(trial): the run after the kill failed: \(final.stderr)") }
        return Trial(
            killed: killed, phase: phase(of: lines.last.map(String.init) ?? ""), integrity: integrity,
            articles: Int(try sqlite("SELECT COUNT(*) FROM article", folder.path("gazette.sqlite"))) ?? -1,
            reached: try count(
                "SELECT COUNT(*) FROM delivery WHERE status = 'sent' OR (status = 'pending' AND handedOverAt IS NOT NULL)",
                in: folder.path("gazette.sqlite")),
            unconfirmed: try count(
                "SELECT COUNT(*) FROM delivery WHERE status = 'pending' AND handedOverAt IS NOT NULL", in: folder.path("gazette.sqlite")),
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
