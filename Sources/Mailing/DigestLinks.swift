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
            unsubscribeURL: unsubscribeTemplate.map { filled($0, token: token) },
            unsubscribeMailto: "mailto:\(senderAddress)?subject=unsubscribe%20\(token)",
            preferencesURL: preferencesTemplate.map { filled($0, token: token) })
    }

    /// Every `{token}` replaced. Printable ASCII (URL templates are) by byte, anything
    /// else by Foundation's `replacingOccurrences`, which this matches for ASCII.
    static func filled(_ template: String, token: String) -> String {
        guard template.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            return template.replacingOccurrences(of: "{token}", with: token)
        }
        let placeholder = Array("{token}".utf8)
        let bytes = Array(template.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + token.utf8.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == placeholder[0], bytes[index...].starts(with: placeholder) {
                out += token.utf8
                index += placeholder.count
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
