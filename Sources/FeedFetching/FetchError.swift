/// Why a source could not be fetched. Each description is one line naming the URL.
public enum FetchError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL(String)
    case unsupportedScheme(String, url: String)
    case transport(url: String, reason: String)
    case timedOut(url: String, after: Duration)
    case tooLarge(url: String, limit: Int)
    case httpStatus(Int, url: String)
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
        case .tooLarge(let url, let limit):
            "fetch: \(url): the response is larger than the \(limit / 1_048_576) MiB limit"
        case .httpStatus(let status, let url):
            "fetch: \(url): the server answered HTTP \(status)"
        case .unreadableFile(let path, let reason):
            "fetch: cannot read \(path): \(reason)"
        case .notAFeed(let url, let reason):
            "fetch: \(url): \(reason)"
        }
    }
}
