import FeedFetching

/// An `HTTPClient` for tests that must not fetch anything: every request fails.
public struct OfflineHTTPClient: HTTPClient {
    public init() {}

    public func get(_ request: HTTPRequest) async throws -> HTTPResponse {
        throw FetchError.transport(url: request.url, reason: "this test does not fetch")
    }
}
