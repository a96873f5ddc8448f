import Foundation
import GazetteTestSupport
import Testing

/// `gazette run` killed with SIGKILL at random moments, again and again, then allowed to
/// finish: the database stays intact, no article is lost, and every subscriber's digest
/// reaches the SMTP server as exactly one Message-ID.
@Suite struct CrashSafetyTests {
    static let subscribers = (1...20).map { "reader\($0)@sample.test" }

    @Test func killedRunsLoseNothingAndNeverSendADifferentSecondCopy() throws {
        let folder = try TemporaryDirectory("gazette-crash")
        defer { folder.remove() }
        let smtp = try LoopbackSMTPServer()
        try TestConfig.write(in: folder.url, delivery: TestConfig.smtp(smtp))
        let csv = "email\n" + Self.subscribers.joined(separator: "\n") + "\n"
        try csv.write(to: folder.url.appendingPathComponent("subscribers.csv"), atomically: true, encoding: .utf8)
        #expect(try GazetteBinary.run(["subscribers", "import", "subscribers.csv"], in: folder.url).status == 0)

        var generator = SystemRandomNumberGenerator()
        var killed = 0
        for _ in 0..<30 {
            let process = try GazetteBinary.start(["run"], in: folder.url)
            // A whole debug run now takes well under a second (it took about 1 s when this was
            // written, and then a 0–1.2 s window cut none on a quiet machine): kill within 0.5 s.
            usleep(UInt32.random(in: 0...500_000, using: &generator))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed += 1
            }
            process.waitUntilExit()
            #expect(try Self.integrityCheck(folder.path("gazette.sqlite")) == "ok")
        }
        #expect(killed > 0, "no run was interrupted; the kill window is too late")

        let final = try GazetteBinary.run(["run"], in: folder.url)
        #expect(final.status == 0, "\(final.stderr)")
        #expect(try Self.count("SELECT COUNT(*) FROM article", in: folder.path("gazette.sqlite")) == 32)
        #expect(try Self.count("SELECT COUNT(*) FROM delivery WHERE status = 'sent'", in: folder.path("gazette.sqlite")) == 20)

        let accepted = try smtp.accepted()
        var idsByRecipient: [String: Set<String>] = [:]
        for message in accepted {
            for recipient in message.to { idsByRecipient[recipient, default: []].insert(message.messageID) }
        }
        #expect(Set(idsByRecipient.keys) == Set(Self.subscribers))
        // One Message-ID per subscriber: a run killed between the server's 250 and the
        // ledger's commit may resend, but only ever the same message, which mail systems merge.
        #expect(idsByRecipient.values.allSatisfy { $0.count == 1 })
        let repeats = accepted.count - Self.subscribers.count
        #expect(repeats <= killed)
        print("crash test: \(killed) runs killed, \(accepted.count) messages accepted for 20 subscribers (\(repeats) repeats of a Message-ID)")
    }

    static func integrityCheck(_ path: String) throws -> String {
        try sqlite("PRAGMA integrity_check", path)
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
