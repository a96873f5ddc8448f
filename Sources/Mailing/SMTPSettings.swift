import Foundation

/// How to reach an SMTP server. Built from the config's `[delivery]` table.
public struct SMTPSettings: Sendable, Hashable {
    /// What to do about TLS on an `smtp://` URL (`smtps://` is TLS from the first byte).
    public enum STARTTLS: String, Sendable, Hashable, CaseIterable {
        /// Refuse to send unless the server offers STARTTLS: the default.
        case required
        /// Use STARTTLS when offered, else send in plain text.
        case opportunistic
        /// Never use TLS (a relay on the same host or a test server on loopback).
        case off
    }

    /// `smtp://host:port` or `smtps://host:port`.
    public var url: String
    public var starttls: STARTTLS
    public var username: String?
    /// Comes from the environment or a file, never from the config itself.
    public var password: String?
    /// A PEM bundle of trusted CAs, for a server with a private certificate.
    public var caFile: String?
    /// At most this many messages a second; nil for no limit.
    public var maxPerSecond: Double?
    /// SMTP sessions open at once (`[delivery] connections`): messages go out over this many
    /// connections in parallel, each carrying one message at a time.
    public var connections: Int
    public var timeout: Duration
    public var connectTimeout: Duration

    public init(
        url: String, starttls: STARTTLS = .required, username: String? = nil, password: String? = nil,
        caFile: String? = nil, maxPerSecond: Double? = nil, connections: Int = 4, timeout: Duration = .seconds(60),
        connectTimeout: Duration = .seconds(15)
    ) {
        self.url = url
        self.starttls = starttls
        self.username = username
        self.password = password
        self.caFile = caFile
        self.maxPerSecond = maxPerSecond
        self.connections = connections
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }

    /// The URL without any credentials, for messages.
    public var displayURL: String {
        guard let at = url.firstIndex(of: "@"), let scheme = url.range(of: "://") else { return url }
        return String(url[..<scheme.upperBound]) + String(url[url.index(after: at)...])
    }
}
