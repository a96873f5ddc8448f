import Foundation

/// A GET request with the limits that keep one bad server from hurting the run.
public struct HTTPRequest: Sendable, Hashable {
    public var url: String
    /// Extra request headers ("If-None-Match", …).
    public var headers: [String: String]
    /// Gives up on the whole transfer after this long.
    public var timeout: Duration
    public var connectTimeout: Duration
    /// Bodies larger than this are refused with `FetchError.tooLarge`.
    public var maxBodyBytes: Int
    public var maxRedirects: Int

    public init(
        url: String, headers: [String: String] = [:], timeout: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(10), maxBodyBytes: Int = 15 * 1024 * 1024, maxRedirects: Int = 5
    ) {
        self.url = url
        self.headers = headers
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maxBodyBytes = maxBodyBytes
        self.maxRedirects = maxRedirects
    }
}

/// What came back, after redirects and content decoding.
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    /// Header names lowercased; a repeated header keeps its last value.
    public var headers: [String: String]
    public var body: Data
    /// The URL after following redirects.
    public var finalURL: String

    public init(status: Int, headers: [String: String] = [:], body: Data = Data(), finalURL: String) {
        self.status = status
        self.headers = headers
        self.body = body
        self.finalURL = finalURL
    }
}

/// Performs HTTP GETs. The live implementation is `CurlHTTPClient`; tests use a real
/// loopback server, and unit seams may stub this protocol.
///
/// Implementations follow redirects (http and https only), decode gzip/deflate/brotli, and
/// throw `FetchError` for transport failures; any HTTP status, 4xx and 5xx included, is a
/// response, not an error.
public protocol HTTPClient: Sendable {
    func get(_ request: HTTPRequest) async throws -> HTTPResponse
}
