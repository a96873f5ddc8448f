import Foundation
import GazetteTestSupport
import Testing

/// Faults from outside: the mail server dies mid-run, the outbox's disk fills up, another
/// process holds the database, the database file is read-only. Each ends with a clear line,
/// nothing half-done, and the next run finishes the job without sending anything twice.
@Suite(.serialized) struct FaultTests {
    private func importSubscribers(_ addresses: [String], in folder: TemporaryDirectory) throws {
        try ("email\n" + addresses.joined(separator: "\n") + "\n").write(
            to: folder.url.appendingPathComponent("subscribers.csv"), atomically: true, encoding: .utf8)
        let imported = try GazetteBinary.run(["subscribers", "import", "subscribers.csv"], in: folder.url)
        #expect(imported.status == 0, "\(imported.stderr)")
    }

    @Test func theMailServerGoneMidRunLeavesTheRestForTheNextRun() throws {
        let folder = try TemporaryDirectory("gazette-smtp-gone")
        defer { folder.remove() }
        let smtp = try LoopbackSMTPServer()
        // One connection: sent one after the other (import order), two before the crash, two after it.
        try TestConfig.write(in: folder.url, delivery: TestConfig.smtp(smtp, extra: ["connections = 1"]))
        let addresses = ["a1@sample.test", "a2@sample.test", "die-now@sample.test", "e1@sample.test", "e2@sample.test"]
        try importSubscribers(addresses, in: folder)

        let first = try GazetteBinary.run(["run"], in: folder.url)
        #expect(first.status == 3, "\(first.stdout) \(first.stderr)")  // some went out, some did not
        #expect(Set(try smtp.accepted().flatMap(\.to)) == ["a1@sample.test", "a2@sample.test"], "\(first.stdout) \(first.stderr)")
        let lines = first.stderr.split(separator: "\n")
        #expect(lines.count == 3, "\(first.stderr)")  // one line per message that did not go out
        #expect(lines.allSatisfy { $0.hasPrefix("gazette: daily → ") })
        #expect(lines.first?.contains("closed the connection without answering") == true, "\(first.stderr)")
        #expect(lines.last?.contains("is the mail server running?") == true, "\(first.stderr)")

        let back = try LoopbackSMTPServer(restarting: smtp)
        let second = try GazetteBinary.run(["run"], in: folder.url)
        #expect(second.status == 0, "\(second.stderr)")
        let accepted = try back.accepted()
        #expect(accepted.flatMap(\.to).sorted() == addresses.sorted())  // each exactly once
        #expect(Set(accepted.map(\.messageID)).count == addresses.count)
    }

    @Test func aFullDiskWhileWritingTheOutboxLosesNoMessage() throws {
        let folder = try TemporaryDirectory("gazette-disk-full")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url)
        let addresses = (1...12).map { "reader\($0)@sample.test" }
        try importSubscribers(addresses, in: folder)
        let outbox = folder.url.appendingPathComponent("outbox")
        try FileManager.default.createDirectory(at: outbox, withIntermediateDirectories: true)
        // A 96 KiB file system: room for a few digests, not for twelve. (Needs root, as CI has.)
        try #require(Self.shell("mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", outbox.path) == 0, "cannot mount a tmpfs")
        var mounted = true
        defer { if mounted { _ = Self.shell("umount", outbox.path) } }

        let first = try GazetteBinary.run(["run"], in: folder.url)
        #expect(first.status == 3, "\(first.stdout) \(first.stderr)")
        #expect(first.stderr.contains("space"), "\(first.stderr)")
        let written = try Self.messages(in: outbox)
        #expect(written.count > 0 && written.count < addresses.count)
        // What is in new/ is whole: every file parses without a defect.
        #expect(try ParsedEmail.parse(written).allSatisfy { $0.defects.isEmpty && $0.parts.count == 2 })
        // Nothing half-written is left in tmp/ to be mistaken for mail.
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: outbox.appendingPathComponent("tmp").path)) ?? []
        #expect(leftovers.isEmpty)

        _ = Self.shell("umount", outbox.path)
        mounted = false
        let second = try GazetteBinary.run(["run"], in: folder.url)
        #expect(second.status == 0, "\(second.stderr)")
        // The disk had room again (the outbox is on the real disk now): the rest went out. The
        // first run's messages were on the tmpfs, so only the ones that failed are here.
        let afterwards = try Self.messages(in: outbox)
        #expect(afterwards.count == addresses.count - written.count)
    }

    @Test func aDatabaseHeldByAnotherProcessIsWaitedForThenNamed() throws {
        let folder = try TemporaryDirectory("gazette-locked")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url)
        try importSubscribers(["a@sample.test"], in: folder)
        let database = folder.path("gazette.sqlite")

        // Held for 2 s: the busy timeout (10 s) waits it out.
        let brief = try Self.holdExclusiveLock(on: database, seconds: 2)
        let waited = try GazetteBinary.run(["subscribers", "add", "b@sample.test"], in: folder.url)
        brief.waitUntilExit()
        #expect(waited.status == 0, "\(waited.stderr)")

        // Held for longer than the timeout: one clear line, and nothing written.
        let long = try Self.holdExclusiveLock(on: database, seconds: 14)
        let refused = try GazetteBinary.run(["subscribers", "add", "c@sample.test"], in: folder.url)
        long.waitUntilExit()
        #expect(refused.status != 0)
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(refused.stderr.contains("locked"), "\(refused.stderr)")
        let listed = try GazetteBinary.run(["subscribers", "list"], in: folder.url)
        #expect(listed.stdout.contains("b@sample.test") && !listed.stdout.contains("c@sample.test"))
    }

    @Test func aReadOnlyDatabaseIsAClearErrorAndStaysUntouched() throws {
        let folder = try TemporaryDirectory("gazette-readonly")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url)
        try importSubscribers(["a@sample.test"], in: folder)
        #expect(try GazetteBinary.run(["fetch"], in: folder.url).status == 0)
        _ = try CrashSafety.sqlite("PRAGMA wal_checkpoint(TRUNCATE)", folder.path("gazette.sqlite"))
        let before = try Data(contentsOf: folder.url.appendingPathComponent("gazette.sqlite"))
        // Everything stays root's; the run is another user's, who may read but not write.
        _ = Self.shell("chmod", "-R", "a+rX,go-w", folder.url.path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", GazetteBinary.url.path, "run"]
        process.currentDirectoryURL = folder.url
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(stderr.split(separator: "\n").count == 1, "\(stderr)")
        #expect(stderr.lowercased().contains("read"), "\(stderr)")
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("gazette.sqlite")) == before)
        #expect(!FileManager.default.fileExists(atPath: folder.path("outbox/new")))
    }

    // MARK: - Helpers

    static func messages(in outbox: URL) throws -> [URL] {
        let new = outbox.appendingPathComponent("new")
        return ((try? FileManager.default.contentsOfDirectory(at: new, includingPropertiesForKeys: nil)) ?? []).filter { $0.pathExtension == "eml" }
    }

    /// A Python process that holds an exclusive SQLite lock on `path` for `seconds`; returns
    /// once the lock is held.
    static func holdExclusiveLock(on path: String, seconds: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN EXCLUSIVE'); print('held', flush=True); time.sleep(int(sys.argv[2])); c.execute('COMMIT')",
            path, String(seconds),
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        _ = output.fileHandleForReading.readData(ofLength: 5)  // "held\n"
        return process
    }

    @discardableResult
    static func shell(_ arguments: String...) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
