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
            for article in articles {
                let seen = try ArticleRecord
                    .filter(ArticleRecord.Columns.guid == article.guid || ArticleRecord.Columns.url == article.url)
                    .isEmpty(db) == false
                if seen { continue }
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

    // MARK: - Reads

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
