import Foundation
import GazetteTestSupport
import Testing

/// `gazette subscribers import` killed with SIGKILL part-way through a large file (its rows
/// queued and written many to a statement, in one transaction), at named moments
/// (`DeliveryCheckpoint`'s import ones): the database is as it was before (or, killed after
/// its commit, as the whole import leaves it), passes
/// `PRAGMA integrity_check`, and the same import then runs to the end.
@Suite struct ImportCrashSafetyTests {
    static let rows = 50_000

    @Test func aKilledImportLeavesTheDatabaseAsItWas() throws {
        let folder = try TemporaryDirectory("gazette-import-kill")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url, sources: [])
        let database = folder.path("gazette.sqlite")
        try "email,name\nkept@sample.test,Kept\ngone@sample.test,Gone\n".write(
            to: folder.url.appendingPathComponent("before.csv"), atomically: true, encoding: .utf8)
        #expect(try GazetteBinary.run(["subscribers", "import", "before.csv"], in: folder.url).status == 0)
        #expect(try GazetteBinary.run(["subscribers", "unsubscribe", "gone@sample.test"], in: folder.url).status == 0)

        // Addresses already there in another case, and one unsubscribed, among new ones.
        var csv = "email,name,lists\r\nKEPT@sample.test,Other,daily\r\ngone@SAMPLE.test,,daily\r\n"
        for index in 0..<Self.rows { csv += "reader\(index)@example\(index % 97).test,Reader \(index),daily\r\n" }
        try csv.write(to: folder.url.appendingPathComponent("big.csv"), atomically: true, encoding: .utf8)

        // The database before, kept aside; the whole import run once on a copy of it: what it leaves.
        let pristine = folder.path("pristine.sqlite")
        try FileManager.default.copyItem(atPath: database, toPath: pristine)
        let copy = try TemporaryDirectory("gazette-import-kill-copy")
        defer { copy.remove() }
        try TestConfig.write(in: copy.url, sources: [])
        try FileManager.default.copyItem(atPath: pristine, toPath: copy.path("gazette.sqlite"))
        #expect(try GazetteBinary.run(["subscribers", "import", folder.path("big.csv")], in: copy.url).status == 0)
        let complete = try Self.state(copy.path("gazette.sqlite"))
        #expect(complete[1] == "\(Self.rows + 2)")

        // Killed at named moments (`GAZETTE_TEST_KILL_AT`), not after guessed delays: early,
        // mid-file, with every row read but nothing committed, and just after the commit.
        let before = try Self.state(database)
        let middle = Self.rows / 1_000 / 2  // `DeliveryCheckpoint.importRowsStep` rows a step
        let kills = [("import-rows:1", before), ("import-rows:\(middle)", before), ("before-import-commit", before),
                     ("after-import-commit", complete)]
        for (moment, expected) in kills {
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
            try? FileManager.default.removeItem(atPath: database)
            try FileManager.default.copyItem(atPath: pristine, toPath: database)
            let result = try GazetteBinary.run(
                ["subscribers", "import", "big.csv"], in: folder.url, environment: ["GAZETTE_TEST_KILL_AT": moment])
            #expect(result.killed, "not killed at \(moment)")
            #expect(try Self.state(database) == expected, "killed at \(moment)")
        }

        #expect(try GazetteBinary.run(["subscribers", "import", "big.csv"], in: folder.url).status == 0)
        #expect(try Self.state(database) == complete)
        #expect(
            try CrashSafety.sqlite("SELECT status FROM subscriber WHERE email = 'gone@sample.test'", database)
                == "unsubscribed")
    }

    /// The integrity check, the subscribers and their statuses.
    static func state(_ database: String) throws -> [String] {
        [
            try CrashSafety.sqlite("PRAGMA integrity_check", database),
            try CrashSafety.sqlite("SELECT COUNT(*) FROM subscriber", database),
            try CrashSafety.sqlite("SELECT COUNT(*) FROM subscription", database),
            try CrashSafety.sqlite(
                "SELECT group_concat(email || ' ' || coalesce(name, '') || ' ' || status, '; ') FROM subscriber", database),
        ]
    }
}
