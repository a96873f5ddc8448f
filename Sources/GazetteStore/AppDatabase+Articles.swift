import Foundation
import GRDB
import GazetteModel

extension AppDatabase {
    // MARK: - Writes

    /// Stores the articles Gazette has not seen before and returns them with their ids.
    /// The articles it has seen are updated or merged as `storeArticles` says.
    /// - Parameter holding: URLs of articles to record as seen but never mail (a new
    ///   source's archive); they are not returned.
    public func insertNewArticles(_ articles: [Article], holding: Set<String> = []) throws -> [Article] {
        try storeArticles(articles, holding: holding).new
    }

    /// Stores a feed's articles: new ones are inserted; ones already stored change in place
    /// until the digest that carries them has been sent.
    ///
    /// An article is known when its guid or its URL is already stored. Read again through
    /// the same feed with a new content hash, it is an edit: title, summary, tags, section,
    /// authors and dates are updated (`Article.updated(by:)`). Read through another feed,
    /// it is one story syndicated twice: the two merge into one article that keeps the
    /// richest metadata (`Article.merged(with:)`) and remembers both feeds. Once a sent
    /// digest's window holds the article's first sighting, what readers got is final and
    /// nothing changes. The whole batch is one transaction: a crash stores all or none.
    public func storeArticles(_ articles: [Article], holding: Set<String> = []) throws -> StoredArticles {
        try writer.write { db in
            var sourceIDs: [String: Int64] = [:]
            var result = StoredArticles()
            // One prepared statement for every article; each arm of the OR uses its column's index.
            let knownQuery = try db.cachedStatement(sql: "SELECT * FROM article WHERE guid = ? UNION SELECT * FROM article WHERE url = ? LIMIT 1")
            let feedQuery = try db.cachedStatement(sql: "SELECT sourceId, contentHash FROM articleFeed WHERE articleId = ?")
            let sentQuery = try db.cachedStatement(
                sql: "SELECT EXISTS (SELECT 1 FROM delivery WHERE status = 'sent' AND windowStart < ? AND windowEnd >= ?)")
            for article in articles {
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
                let hash = article.contentHash
                guard var record = try ArticleRecord.fetchOne(knownQuery, arguments: [article.guid, article.url]) else {
                    var record = ArticleRecord(article, sourceId: sourceID)
                    record.held = holding.contains(article.url)
                    try record.insert(db)
                    try ArticleFeedRecord(articleId: record.id!, sourceId: sourceID, contentHash: hash).insert(db)
                    if record.held { continue }
                    var stored = article
                    stored.id = record.id
                    result.new.append(stored)
                    continue
                }
                let feeds = try Row.fetchAll(feedQuery, arguments: [record.id]).map { (id: $0["sourceId"] as Int64, hash: $0["contentHash"] as String) }
                let previous = feeds.first { $0.id == sourceID }
                if previous?.hash == hash { continue }
                if previous?.hash == "" {  // stored before hashes were: learn this one, change nothing
                    try ArticleFeedRecord(articleId: record.id!, sourceId: sourceID, contentHash: hash).save(db)
                    continue
                }
                let sent = try Bool.fetchOne(sentQuery, arguments: [record.firstSeenAt, record.firstSeenAt]) ?? false
                if record.held || sent { continue }
                let stored = record.article(sourceName: "")
                let next = previous == nil ? stored.merged(with: article) : stored.updated(by: article, keepTags: feeds.count > 1 || record.pageFetchedAt != nil)
                try ArticleFeedRecord(articleId: record.id!, sourceId: sourceID, contentHash: hash).save(db)
                if previous == nil { result.merged += 1 } else { result.updated += 1 }
                guard next != stored else { continue }
                record.take(next)
                try record.update(db)
            }
            return result
        }
    }

    /// The names of every source whose feed carried the article, the first one first.
    public func feeds(ofArticle id: Int64) throws -> [String] {
        try writer.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT source.name FROM articleFeed JOIN source ON source.id = articleFeed.sourceId
                    JOIN article ON article.id = articleFeed.articleId
                    WHERE articleFeed.articleId = ? ORDER BY source.id = article.sourceId DESC, articleFeed.rowid
                    """, arguments: [id])
        }
    }

    /// One stored article by id, or nil.
    public func article(id: Int64) throws -> Article? {
        try writer.read { db in
            guard let record = try ArticleRecord.fetchOne(db, key: id) else { return nil }
            let name = try SourceRecord.filter(Column("id") == record.sourceId).select(SourceRecord.Columns.name, as: String.self).fetchOne(db)
            return record.article(sourceName: name ?? "?")
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
    /// What `storeArticles` did with a batch.
    public struct StoredArticles: Sendable, Hashable {
        /// Articles stored for the first time (held ones not included), with their ids.
        public var new: [Article] = []
        /// Known articles their own feed edited, changed in place.
        public var updated = 0
        /// Known articles another feed also carried, merged into the stored one.
        public var merged = 0

        public init() {}
    }

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
