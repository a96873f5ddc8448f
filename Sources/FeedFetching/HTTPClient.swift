import Foundation

/// A GET request with the limits that keep one bad server from hurting the run.
public struct HTTPRequest: Sendable, Hashable {
    public var url: String
    /// Extra request headers ("If-None-Match", …).
    public var headers: [String: String]
    /// Gives up on the whole transfer (all redirects included) after this long.
    public var timeout: Duration
    public var connectTimeout: Duration
    /// Gives up when the server sends nothing for this long (a stalled body).
    public var stallTimeout: Duration
    /// Bodies larger than this (after decompression) are refused with `FetchError.tooLarge`.
    public var maxBodyBytes: Int
    public var maxRedirects: Int

    public init(
        url: String, headers: [String: String] = [:], timeout: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(10), stallTimeout: Duration = .seconds(15),
        maxBodyBytes: Int = 15 * 1024 * 1024, maxRedirects: Int = 5
    ) {
        self.url = url
        self.headers = headers
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.stallTimeout = stallTimeout
        self.maxBodyBytes = maxBodyBytes
        self.maxRedirects = maxRedirects
    }
}

/// One redirect followed on the way to the response.
public struct HTTPRedirect: Sendable, Hashable {
    public var status: Int
    public var from: String
    public var to: String

    public init(status: Int, from: String, to: String) {
        self.status = status
        self.from = from
        self.to = to
    }

    /// 301 and 308 say "use the new address from now on"; 302, 303 and 307 do not.
    public var isPermanent: Bool { status == 301 || status == 308 }
}

/// What came back, after redirects and content decoding.
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    /// Header names lowercased; a repeated header keeps its last value.
    public var headers: [String: String]
    public var body: Data
    /// The URL after following redirects.
    public var finalURL: String
    /// The redirects followed, in order.
    public var redirects: [HTTPRedirect]

    public init(status: Int, headers: [String: String] = [:], body: Data = Data(), finalURL: String, redirects: [HTTPRedirect] = []) {
        self.status = status
        self.headers = headers
        self.body = body
        self.finalURL = finalURL
        self.redirects = redirects
    }

    /// The new address when every redirect on the way was permanent: the source moved.
    public var permanentlyMovedTo: String? {
        guard !redirects.isEmpty, redirects.allSatisfy(\.isPermanent) else { return nil }
        return finalURL
    }
}

/// Performs HTTP GETs. The live implementation is `CurlHTTPClient`; tests use a real
/// loopback server, and unit seams may stub this protocol.
///
/// Implementations follow redirects (http and https only; a loop is an error), decode
/// gzip/deflate/brotli, and throw `FetchError` for transport failures; any HTTP status,
/// 4xx and 5xx included, is a response, not an error.
public protocol HTTPClient: Sendable {
    func get(_ request: HTTPRequest) async throws -> HTTPResponse
}
