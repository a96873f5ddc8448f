import Foundation
import GazetteModel

/// One fetch's outcome for a source's health row, so a fetch run can record many sources
/// in one transaction (`AppDatabase.recordFetches`).
public enum FetchRecord: Sendable, Hashable {
    /// A fresh document; `state` holds the validators for the next fetch.
    case success(sourceName: String, state: SourceState, status: Int, at: Date)
    /// A 304 answer; validators the server sent again replace the stored ones.
    case notModified(sourceName: String, state: SourceState, at: Date)
    /// A failure: validators and articles are kept; `retryAfter` is the server's "not before".
    case failure(sourceName: String, error: String, status: Int?, retryAfter: Date?, at: Date)

    public var sourceName: String {
        switch self {
        case .success(let name, _, _, _), .notModified(let name, _, _), .failure(let name, _, _, _, _): name
        }
    }

    func apply(to record: inout SourceRecord) {
        switch self {
        case .success(_, let state, let status, let date):
            record.etag = state.etag
            record.lastModified = state.lastModified
            record.movedTo = state.movedTo ?? record.movedTo
            record.nextFetchAt = state.nextFetchAt
            record.lastFetchedAt = date
            record.lastSuccessAt = date
            record.lastStatus = status
            record.lastError = nil
            record.consecutiveFailures = 0
        case .notModified(_, let state, let date):
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
        case .failure(_, let error, let status, let retryAfter, let date):
            record.nextFetchAt = retryAfter
            record.lastFetchedAt = date
            record.lastStatus = status
            record.lastError = error
            record.consecutiveFailures += 1
        }
    }
}
