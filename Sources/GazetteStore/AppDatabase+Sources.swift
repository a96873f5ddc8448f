import Foundation
import GRDB
import GazetteModel

/// A source's fetch history, for `gazette sources` and the run summary.
public struct SourceHealth: Sendable, Hashable {
    public var source: Source
    public var lastFetchedAt: Date?
    public var lastSuccessAt: Date?
    public var lastStatus: Int?
    public var lastError: String?
    public var consecutiveFailures: Int
    public var notModifiedCount: Int
    /// Where a permanent redirect moved the feed, when it did.
    public var movedTo: String?
    /// Not fetched again before this.
    public var nextFetchAt: Date?

    init(_ record: SourceRecord) {
        source = Source(name: record.name, feedURL: record.feedURL, siteURL: record.siteURL)
        lastFetchedAt = record.lastFetchedAt
        lastSuccessAt = record.lastSuccessAt
        lastStatus = record.lastStatus
        lastError = record.lastError
        consecutiveFailures = record.consecutiveFailures
        notModifiedCount = record.notModifiedCount
        movedTo = record.movedTo
        nextFetchAt = record.nextFetchAt
    }
}

extension AppDatabase {
    // MARK: - Writes

    /// Makes the stored sources match the config: adds new ones and updates URLs.
    /// Sources removed from the config stay, with their articles, so nothing is lost.
    public func syncSources(_ sources: [Source]) throws {
        try writer.write { db in
            for source in sources {
                if var record = try SourceRecord.filter(SourceRecord.Columns.name == source.name).fetchOne(db) {
                    guard record.feedURL != source.feedURL || record.siteURL != source.siteURL else { continue }
                    if record.feedURL != source.feedURL {
                        (record.etag, record.lastModified, record.movedTo, record.nextFetchAt) = (nil, nil, nil, nil)
                    }
                    record.feedURL = source.feedURL
                    record.siteURL = source.siteURL
                    try record.update(db)
                } else {
                    var record = SourceRecord(
                        name: source.name, feedURL: source.feedURL, siteURL: source.siteURL, consecutiveFailures: 0,
                        notModifiedCount: 0, movedTo: nil, nextFetchAt: nil)
                    try record.insert(db)
                }
            }
        }
    }

    /// Records a fetch that returned a fresh document, and the validators for the next one.
    public func recordFetchSuccess(sourceName: String, state: SourceState, status: Int, at date: Date) throws {
        try updateSource(named: sourceName) { record in
            record.etag = state.etag
            record.lastModified = state.lastModified
            record.movedTo = state.movedTo ?? record.movedTo
            record.nextFetchAt = state.nextFetchAt
            record.lastFetchedAt = date
            record.lastSuccessAt = date
            record.lastStatus = status
            record.lastError = nil
            record.consecutiveFailures = 0
        }
    }

    /// Records a 304 Not Modified answer.
    public func recordFetchNotModified(sourceName: String, state: SourceState = SourceState(), at date: Date) throws {
        try updateSource(named: sourceName) { record in
            record.etag = state.etag ?? record.etag
            record.lastModified = state.lastModified ?? record.lastModified
            record.movedTo = state.movedTo ?? record.movedTo
            record.nextFetchAt = state.nextFetchAt
            record.lastFetchedAt = date
            record.lastSuccessAt = date
            record.lastStatus = 304
            record.lastError = nil
            record.consecutiveFailures = 0
            record.notModifiedCount += 1
        }
    }

    /// Records a failed fetch; the source's articles and validators are kept.
    /// - Parameter retryAfter: the server's "not before" (429/503 `Retry-After`), if it gave one.
    public func recordFetchFailure(sourceName: String, error: String, status: Int?, retryAfter: Date? = nil, at date: Date) throws {
        try updateSource(named: sourceName) { record in
            record.nextFetchAt = retryAfter
            record.lastFetchedAt = date
            record.lastStatus = status
            record.lastError = error
            record.consecutiveFailures += 1
        }
    }

    private func updateSource(named name: String, _ change: @escaping @Sendable (inout SourceRecord) -> Void) throws {
        try writer.write { db in
            guard var record = try SourceRecord.filter(SourceRecord.Columns.name == name).fetchOne(db) else {
                throw StoreError.sourceNotFound(name: name)
            }
            change(&record)
            try record.update(db)
        }
    }

    // MARK: - Reads

    /// The validators to send on the next fetch of `sourceName` (empty when never fetched).
    public func sourceState(named sourceName: String) throws -> SourceState {
        try writer.read { db in
            let record = try SourceRecord.filter(SourceRecord.Columns.name == sourceName).fetchOne(db)
            return SourceState(
                etag: record?.etag, lastModified: record?.lastModified, movedTo: record?.movedTo, nextFetchAt: record?.nextFetchAt)
        }
    }

    /// True once a fetch of the source has succeeded: its next items are news, not archive.
    public func hasFetched(sourceName: String) throws -> Bool {
        try writer.read { db in
            try SourceRecord.filter(SourceRecord.Columns.name == sourceName).fetchOne(db)?.lastSuccessAt != nil
        }
    }

    /// Every stored source with its fetch history, by name.
    public func sourceHealth() throws -> [SourceHealth] {
        try writer.read { db in
            try SourceRecord.order(SourceRecord.Columns.name).fetchAll(db).map(SourceHealth.init)
        }
    }
}
