import Foundation
import GRDB
import GazetteModel

extension AppDatabase {
    // MARK: - Writes

    /// Stores the articles Gazette has not seen before and returns them with their ids.
    ///
    /// An article is new when neither its guid nor its URL is already stored, so an item
    /// that a feed re-publishes, or that two feeds share, is stored once. The whole batch is
    /// one transaction: a crash stores all of it or none.
    /// - Parameter holding: URLs of articles to record as seen but never mail (a new
    ///   source's archive); they are not returned.
    public func insertNewArticles(_ articles: [Article], holding: Set<String> = []) throws -> [Article] {
        try writer.write { db in
            var sourceIDs: [String: Int64] = [:]
            var inserted: [Article] = []
            // One prepared statement for every article (the query builder compiled a new one
            // per article); each arm of the OR uses its column's index.
            let seenQuery = try db.cachedStatement(
                sql: "SELECT EXISTS (SELECT 1 FROM article WHERE guid = ?) OR EXISTS (SELECT 1 FROM article WHERE url = ?)")
            for article in articles {
                if try Bool.fetchOne(seenQuery, arguments: [article.guid, article.url]) == true { continue }
                let sourceID: Int64
                if let known = sourceIDs[article.sourceName] {
                    sourceID = known
                } else {
                    guard let id = try SourceRecord.filter(SourceRecord.Columns.name == article.sourceName)
                        .select(Column("id"), as: Int64.self).fetchOne(db)
                    else { throw StoreError.sourceNotFound(name: article.sourceName) }
                    sourceIDs[article.sourceName] = id
                    sourceID = id
                }
                var record = ArticleRecord(article, sourceId: sourceID)
                record.held = holding.contains(article.url)
                try record.insert(db)
                if record.held { continue }
                var stored = article
                stored.id = record.id
                inserted.append(stored)
            }
            return inserted
        }
    }

    /// Stores what an article's page added (`merged`), or that reading it failed for good.
    ///
    /// When the page names a canonical URL that another stored article already has, the two
    /// are one story reached by two addresses: this one is held back (kept, never mailed).
    /// - Returns: false when the article was held back as a duplicate.
    @discardableResult
    public func recordPage(of merged: Article, error: String?, at date: Date) throws -> Bool {
        guard let id = merged.id else { throw StoreError.articleNotFound(id: 0) }
        return try writer.write { db in
            guard var record = try ArticleRecord.fetchOne(db, key: id) else { throw StoreError.articleNotFound(id: id) }
            record.pageFetchedAt = date
            record.pageError = error
            var original = true
            if merged.url != record.url {
                let taken = try ArticleRecord.filter(ArticleRecord.Columns.url == merged.url).filter(Column("id") != id).isEmpty(db) == false
                if taken { record.held = true; original = false } else { record.url = merged.url }
            }
            record.title = merged.title
            record.summary = merged.summary
            record.authors = merged.authors
            record.publishedAt = merged.publishedAt
            record.section = merged.section.components
            record.tags = merged.tags
            record.language = merged.language
            record.imageURL = merged.imageURL
            record.imageCaption = merged.imageCaption
            try record.update(db)
            return original
        }
    }

    // MARK: - Reads

    /// A source's articles whose page has not been read yet, first seen after `since`, oldest first.
    public func articlesAwaitingPage(sourceName: String, firstSeenAfter since: Date, limit: Int = 500) throws -> [Article] {
        try writer.read { db in
            guard let sourceID = try SourceRecord.filter(SourceRecord.Columns.name == sourceName).select(Column("id"), as: Int64.self).fetchOne(db)
            else { return [] }
            return try ArticleRecord
                .filter(ArticleRecord.Columns.sourceId == sourceID && ArticleRecord.Columns.pageFetchedAt == nil)
                .filter(ArticleRecord.Columns.held == false && ArticleRecord.Columns.firstSeenAt > since)
                .order(ArticleRecord.Columns.firstSeenAt, Column("id"))
                .limit(limit)
                .fetchAll(db)
                .map { $0.article(sourceName: sourceName) }
        }
    }

    /// Articles first seen inside `window`, oldest first.
    public func articles(firstSeenIn window: DigestWindow) throws -> [Article] {
        try writer.read { db in
            let names = try Dictionary(
                uniqueKeysWithValues: SourceRecord.fetchAll(db).compactMap { record in record.id.map { ($0, record.name) } })
            return try ArticleRecord
                .filter(ArticleRecord.Columns.firstSeenAt > window.start && ArticleRecord.Columns.firstSeenAt <= window.end)
                .filter(ArticleRecord.Columns.held == false)
                .order(ArticleRecord.Columns.firstSeenAt, Column("id"))
                .fetchAll(db)
                .map { $0.article(sourceName: names[$0.sourceId] ?? "?") }
        }
    }

    /// How many articles are stored.
    public func articleCount() throws -> Int {
        try writer.read { db in try ArticleRecord.fetchCount(db) }
    }
}

extension AppDatabase {
    /// What `prune` removed.
    public struct PruneReport: Sendable, Hashable {
        public var articlesSlimmed = 0
        public var articlesDeleted = 0
        public var deliveriesDeleted = 0
        public var editionsDeleted = 0
        public var bytesBefore: Int64 = 0
        public var bytesAfter: Int64 = 0
    }

    /// Keeps the database small without forgetting what it needs.
    ///
    /// Articles first seen before `before` lose their summary, tags, authors and image but
    /// keep their guid and URL, so a feed that still lists them never makes them new again;
    /// after `forgetBefore` they go entirely. Ledger rows before `before` go too, except each
    /// subscriber's last sent digest of each list, which starts their next window.
    public func prune(before: Date, forgetBefore: Date) throws -> PruneReport {
        var report = PruneReport()
        report.bytesBefore = try fileSize()
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE article SET summary = '', tags = '[]', authors = '[]', imageURL = NULL, imageCaption = NULL
                    WHERE firstSeenAt < ? AND (summary <> '' OR tags <> '[]' OR authors <> '[]' OR imageURL IS NOT NULL)
                    """,
                arguments: [before])
            report.articlesSlimmed = db.changesCount
            try db.execute(sql: "DELETE FROM article WHERE firstSeenAt < ?", arguments: [forgetBefore])
            report.articlesDeleted = db.changesCount
            try db.execute(
                sql: """
                    DELETE FROM delivery WHERE createdAt < ? AND id NOT IN (
                        SELECT id FROM delivery d WHERE \(DeliveryRecord.reachedSubscriberSQL) AND windowEnd = (
                            SELECT MAX(windowEnd) FROM delivery
                            WHERE subscriberId = d.subscriberId AND listName = d.listName AND \(DeliveryRecord.reachedSubscriberSQL)))
                    """,
                arguments: [before])
            report.deliveriesDeleted = db.changesCount
            try db.execute(sql: "DELETE FROM edition WHERE scheduledAt < ?", arguments: [before])
            report.editionsDeleted = db.changesCount
        }
        // Give the freed pages back to the file system.
        try writer.vacuum()
        report.bytesAfter = try fileSize()
        return report
    }

    /// When `prune` last ran, if ever.
    public func lastPruned() throws -> Date? {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'lastPruned'").flatMap { Double($0) }
                .map { Date(timeIntervalSince1970: $0) }
        }
    }

    public func recordPruned(at date: Date) throws {
        try writer.write { db in
            try db.execute(
                sql: "INSERT INTO setting (key, value) VALUES ('lastPruned', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                arguments: [String(date.timeIntervalSince1970)])
        }
    }

    /// The database's size in bytes (pages × page size), whatever the storage.
    public func fileSize() throws -> Int64 {
        try writer.read { db in
            let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let size = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            return pages * size
        }
    }
}
