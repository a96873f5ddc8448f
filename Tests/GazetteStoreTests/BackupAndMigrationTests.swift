import Foundation
import GRDB
import GazetteModel
import GazetteTestSupport
import Testing

@testable import GazetteStore

/// Online backups while another connection writes, and the schema's history replayed from
/// every earlier version with data in it.
@Suite struct BackupAndMigrationTests {
    let now = Date(timeIntervalSince1970: 1_795_676_400)

    @Test func aBackupTakenWhileAnotherConnectionWritesIsWholeAndConsistent() async throws {
        let folder = try TemporaryDirectory("gazette-backup")
        defer { folder.remove() }
        let path = folder.path("gazette.sqlite")
        let writer = try AppDatabase.open(path: path)
        try writer.syncSources([Source(name: "s", feedURL: "https://s.test/feed")])
        // A second pool on the same file is another process's connection as far as SQLite knows.
        let backupSide = try AppDatabase.open(path: path)
        let now = self.now
        let writing = Task.detached {
            for batch in 0..<200 {
                let articles = (0..<20).map { Article.fixture("Story \(batch)-\($0)", url: "https://s.test/\(batch)/\($0)", firstSeenAt: now, source: "s") }
                _ = try writer.insertNewArticles(articles)
            }
        }
        var counts: [Int] = []
        for round in 0..<5 {
            let copy = folder.path("backup-\(round).sqlite")
            try backupSide.backup(toFile: copy)
            let queue = try DatabaseQueue(path: copy)
            let (check, count) = try await queue.read { db in
                (try String.fetchOne(db, sql: "PRAGMA integrity_check"), try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM article") ?? -1)
            }
            try queue.close()
            #expect(check == "ok")
            #expect(count % 20 == 0)  // whole batches only: each insert is one transaction
            counts.append(count)
        }
        try await writing.value
        #expect(counts == counts.sorted())
        try backupSide.backup(toFile: folder.path("final.sqlite"))
        #expect(try AppDatabase.open(path: folder.path("final.sqlite")).articleCount() == 4_000)
        // Nothing half-written is left beside the copies.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).allSatisfy { !$0.hasSuffix(".partial") })
    }

    /// Rows in the first schema's tables, written with SQL as version 1 would have.
    private func seedVersion1(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO source (id, name, feedURL, consecutiveFailures, notModifiedCount) VALUES (1, 's', 'https://s.test/feed', 0, 0)")
        try db.execute(sql: """
            INSERT INTO article (id, sourceId, guid, url, title, summary, authors, publishedAt, section, tags, firstSeenAt)
            VALUES (1, 1, 'g1', 'https://s.test/1', 'Turkey pushes for role', 'S', '["Ariel Kahana"]', '2026-11-26 07:00:00.000',
                    '["News","Middle East"]', '["Turkey"]', '2026-11-26 07:00:00.000')
            """)
        try db.execute(sql: "INSERT INTO subscriber (id, email, name, status, createdAt) VALUES (1, 'reader@sample.test', 'Reader', 'active', '2026-11-01 00:00:00.000')")
        try db.execute(sql: "INSERT INTO subscription (subscriberId, listName, sections, tags, createdAt) VALUES (1, 'daily', '[]', '[\"Turkey\"]', '2026-11-01 00:00:00.000')")
        try db.execute(sql: """
            INSERT INTO delivery (subscriberId, listName, edition, windowStart, windowEnd, status, messageId, articleCount, createdAt, sentAt)
            VALUES (1, 'daily', '2026-11-25T0700', '2026-11-24 07:00:00.000', '2026-11-25 07:00:00.000', 'sent', '<m1@sample.test>', 1,
                    '2026-11-25 07:00:00.000', '2026-11-25 07:00:01.000')
            """)
    }

    @Test func everyEarlierSchemaWithDataMigratesToTheCurrentOne() throws {
        let migrator = AppDatabase.migrator
        let names = migrator.migrations
        #expect(names.count >= 9)
        for stop in names.indices {
            let folder = try TemporaryDirectory("gazette-migrate")
            defer { folder.remove() }
            let path = folder.path("old.sqlite")
            let old = try DatabaseQueue(path: path)
            try migrator.migrate(old, upTo: names[0])
            try old.write(seedVersion1)
            try migrator.migrate(old, upTo: names[stop])
            try old.close()

            // Opening with today's code runs the rest; everything written before is still there.
            let database = try AppDatabase.open(path: path)
            let articles = try database.articles(firstSeenIn: DigestWindow(start: .distantPast, end: .distantFuture))
            #expect(articles.map(\.title) == ["Turkey pushes for role"], "from \(names[stop])")
            #expect(articles.first?.section.components == ["News", "Middle East"])
            #expect(articles.first?.authors == ["Ariel Kahana"])
            #expect(try database.sourceHealth().map(\.source.name) == ["s"])
            let queue = try DatabaseQueue(path: path)
            let (check, deliveries, subscribers, applied) = try queue.read { db in
                (
                    try String.fetchOne(db, sql: "PRAGMA integrity_check"), try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM delivery"),
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM subscriber WHERE email = 'reader@sample.test'"),
                    try migrator.appliedMigrations(db)
                )
            }
            try queue.close()
            #expect(check == "ok")
            #expect(deliveries == 1)
            #expect(subscribers == 1)
            #expect(applied == names)
        }
    }
}
