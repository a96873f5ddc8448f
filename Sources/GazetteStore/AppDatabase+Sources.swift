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
        try recordFetches([.success(sourceName: sourceName, state: state, status: status, at: date)])
    }

    /// Records a 304 Not Modified answer.
    public func recordFetchNotModified(sourceName: String, state: SourceState = SourceState(), at date: Date) throws {
        try recordFetches([.notModified(sourceName: sourceName, state: state, at: date)])
    }

    /// Records a failed fetch; the source's articles and validators are kept.
    /// - Parameter retryAfter: the server's "not before" (429/503 `Retry-After`), if it gave one.
    public func recordFetchFailure(sourceName: String, error: String, status: Int?, retryAfter: Date? = nil, at date: Date) throws {
        try recordFetches([.failure(sourceName: sourceName, error: error, status: status, retryAfter: retryAfter, at: date)])
    }

    /// Records several fetches' outcomes in one transaction (one commit, one WAL sync),
    /// in order: a fetch run of hundreds of sources that mostly answer 304 paid a commit each.
    public func recordFetches(_ records: [FetchRecord]) throws {
        guard !records.isEmpty else { return }
        try writer.write { db in
            for record in records {
                let name = record.sourceName
                guard var source = try SourceRecord.filter(SourceRecord.Columns.name == name).fetchOne(db) else {
                    throw StoreError.sourceNotFound(name: name)
                }
                record.apply(to: &source)
                try source.update(db)
            }
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

    /// `sourceState(named:)` and `hasFetched(sourceName:)` of every stored source, in one read.
    public func sourceStates() throws -> [String: (state: SourceState, fetched: Bool)] {
        try writer.read { db in
            var states: [String: (state: SourceState, fetched: Bool)] = [:]
            for record in try SourceRecord.fetchAll(db) {
                let state = SourceState(
                    etag: record.etag, lastModified: record.lastModified, movedTo: record.movedTo,
                    nextFetchAt: record.nextFetchAt)
                states[record.name] = (state, record.lastSuccessAt != nil)
            }
            return states
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
