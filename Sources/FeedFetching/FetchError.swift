/// Why a source could not be fetched. Each description is one line naming the URL.
public enum FetchError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL(String)
    case unsupportedScheme(String, url: String)
    case transport(url: String, reason: String)
    case timedOut(url: String, after: Duration)
    /// The server stopped sending in the middle of the body.
    case stalled(url: String, after: Duration)
    case tooLarge(url: String, limit: Int)
    case httpStatus(Int, url: String)
    /// 429 or 503: the server asked to be left alone, for `retryAfter` when it said.
    case rateLimited(Int, url: String, retryAfter: Duration?)
    case redirectLoop(url: String, repeated: String)
    case tooManyRedirects(url: String, limit: Int)
    /// A redirect to a scheme other than http or https (`file:`, `ftp:`, `gopher:`).
    case redirectRefused(url: String, target: String)
    case unreadableFile(path: String, reason: String)
    case notAFeed(url: String, reason: String)

    public var description: String {
        switch self {
        case .invalidURL(let url):
            "fetch: '\(url)' is not a valid URL; check the source's feed address in the config"
        case .unsupportedScheme(let scheme, let url):
            "fetch: \(url): the '\(scheme)' scheme is not supported (use http, https or file)"
        case .transport(let url, let reason):
            "fetch: \(url): \(reason)"
        case .timedOut(let url, let after):
            "fetch: \(url): no complete answer within \(after.components.seconds) s"
        case .stalled(let url, let after):
            "fetch: \(url): the server stopped sending for \(after.components.seconds) s; gave up"
        case .tooLarge(let url, let limit):
            "fetch: \(url): the response is larger than the \(Self.size(limit)) limit"
        case .httpStatus(let status, let url):
            "fetch: \(url): the server answered HTTP \(status)\(Self.hint(status))"
        case .rateLimited(let status, let url, let retryAfter):
            "fetch: \(url): the server answered HTTP \(status) (too busy)"
                + (retryAfter.map { "; next try after \($0.components.seconds) s, as it asked" } ?? "")
        case .redirectLoop(let url, let repeated):
            "fetch: \(url): redirect loop (\(repeated) redirects back to itself)"
        case .tooManyRedirects(let url, let limit):
            "fetch: \(url): more than \(limit) redirects; gave up"
        case .redirectRefused(let url, let target):
            "fetch: \(url): refused a redirect to \(target) (only http and https are followed)"
        case .unreadableFile(let path, let reason):
            "fetch: cannot read \(path): \(reason)"
        case .notAFeed(let url, let reason):
            "fetch: \(url): \(reason)"
        }
    }

    private static func size(_ bytes: Int) -> String {
        bytes >= 1_048_576 ? "\(bytes / 1_048_576) MiB" : "\(bytes) byte"
    }

    private static func hint(_ status: Int) -> String {
        switch status {
        case 404: " (not found; has the feed moved?)"
        case 410: " (gone: the site removed this feed; remove the source)"
        case 401, 403: " (access refused)"
        case 500..<600: " (a server error; it is retried on the next run)"
        default: ""
        }
    }
}
