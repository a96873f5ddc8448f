import Foundation
import GazetteModel

/// The readers' web endpoint (`[web]`, served by `gazette serve`): the public address every
/// unsubscribe, preferences, confirmation and archive link is built from.
public struct WebSettings: Sendable, Hashable {
    /// The public address as readers reach it through the site's proxy, without a trailing
    /// slash: `https://news.example.org/letters`.
    public var baseURL: String
    /// Whether `/subscribe` shows a public sign-up form (`subscribe = true`).
    public var publicSubscribe: Bool
    /// Where `gazette serve` listens unless `--listen` says otherwise.
    public var listen: String
    /// Sign-ups one address (IP) may make per hour through the public form.
    public var subscribesPerHour: Int

    public static let defaultListen = "127.0.0.1:8080"

    public init(
        baseURL: String, publicSubscribe: Bool = false, listen: String = WebSettings.defaultListen, subscribesPerHour: Int = 5
    ) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.publicSubscribe = publicSubscribe
        self.listen = listen
        self.subscribesPerHour = subscribesPerHour
    }

    /// The public address of `path` (which starts with "/").
    public func url(_ path: String) -> String { baseURL + path }

    /// The host of `baseURL`, if it has one.
    public var host: String? { URL(string: baseURL)?.host }

    /// Whether the base URL names this machine: only then may it be plain http.
    public var isLoopback: Bool {
        guard let host = host?.lowercased() else { return false }
        return host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }

    /// Why the base URL cannot be used, or nil when it can: readers' links must be https,
    /// except on this machine (tests, a proxy's own checks).
    public var problem: String? {
        guard let url = URL(string: baseURL), let scheme = url.scheme?.lowercased(), url.host != nil else {
            return "'\(baseURL)' is not an absolute URL; write it as https://news.example.org/letters"
        }
        if scheme == "https" || (scheme == "http" && isLoopback) { return nil }
        return
            "'\(baseURL)' must be https:// (plain http only for 127.0.0.1 or localhost): mail providers want an https unsubscribe"
    }

    /// `list` with its unsubscribe, preferences and confirmation links pointing here, where
    /// the config does not name endpoints of its own.
    public func linking(_ list: SubscriberList) -> SubscriberList {
        var linked = list
        linked.unsubscribeURLTemplate = list.unsubscribeURLTemplate ?? url("/unsubscribe?token={token}")
        linked.preferencesURLTemplate = list.preferencesURLTemplate ?? url("/preferences?token={token}")
        linked.confirmURLTemplate = list.confirmURLTemplate ?? url("/confirm?token={token}")
        return linked
    }

    /// The `host` and `port` of a `--listen` value: `127.0.0.1:8080`, `[::1]:8080` or `:8080`.
    public static func parseListen(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
        else {
            return nil
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}
