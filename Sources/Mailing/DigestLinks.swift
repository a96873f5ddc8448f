import Foundation

/// The per-subscriber links a digest carries: unsubscribe (one-click over https when the
/// list has an endpoint, always by mail) and preferences. Each holds a signed token.
public struct DigestLinks: Sendable, Hashable {
    /// `https://…?token=…`, for the body and for RFC 8058 one-click unsubscribe; nil when
    /// the list has no unsubscribe endpoint.
    public var unsubscribeURL: String?
    /// `mailto:sender?subject=unsubscribe%20<token>`: works with no web endpoint at all.
    public var unsubscribeMailto: String
    public var preferencesURL: String?

    public init(unsubscribeURL: String? = nil, unsubscribeMailto: String, preferencesURL: String? = nil) {
        self.unsubscribeURL = unsubscribeURL
        self.unsubscribeMailto = unsubscribeMailto
        self.preferencesURL = preferencesURL
    }

    /// Links from a list's URL templates (`{token}` is replaced) and its sender address.
    public static func make(
        token: String, senderAddress: String, unsubscribeTemplate: String?, preferencesTemplate: String?
    ) -> DigestLinks {
        DigestLinks(
            unsubscribeURL: unsubscribeTemplate.map { $0.replacingOccurrences(of: "{token}", with: token) },
            unsubscribeMailto: "mailto:\(senderAddress)?subject=unsubscribe%20\(token)",
            preferencesURL: preferencesTemplate.map { $0.replacingOccurrences(of: "{token}", with: token) })
    }
}
