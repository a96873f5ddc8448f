import Foundation

/// The signed token in a VERP envelope sender: `bounces+b1.<delivery id>.<subscriber id>.<signature>@domain`.
///
/// A bounce goes to the envelope sender, so the token comes back on the bounce's `To` or
/// `Delivered-To` whatever the reporting server wrote in its body: the delivery (and with
/// it the subscriber and the Message-ID) is known without parsing anything. Signed with the
/// key that signs unsubscribe links, so nobody can make a bounce count against someone else.
public struct ReturnPathToken: Sendable, Hashable {
    public var deliveryID: Int64
    public var subscriberID: Int64

    public init(deliveryID: Int64, subscriberID: Int64) {
        self.deliveryID = deliveryID
        self.subscriberID = subscriberID
    }

    static let prefix = "b1"

    public func signed(with key: SigningKey) -> String {
        let payload = "\(Self.prefix).\(deliveryID).\(subscriberID)"
        return payload + "." + SubscriptionToken.signature(payload, key: key)
    }

    /// The envelope sender for this delivery: `returnPath`'s local part, `+`, the token, its domain.
    public func address(returnPath: String, key: SigningKey) -> String {
        guard let at = returnPath.lastIndex(of: "@") else { return returnPath }
        return String(returnPath[..<at]) + "+" + signed(with: key) + String(returnPath[at...])
    }

    public static func verify(_ text: String, key: SigningKey) throws(TokenError) -> ReturnPathToken {
        let (deliveryID, subscriber) = try SubscriptionToken.verifiedFields(text, prefix: prefix, key: key)
        guard let subscriberID = Int64(subscriber) else { throw .malformed }
        return ReturnPathToken(deliveryID: deliveryID, subscriberID: subscriberID)
    }

    /// The token in a VERP address (`local+token@domain`), verified; nil for any other address.
    public static func find(in address: String, key: SigningKey) -> ReturnPathToken? {
        guard let at = address.lastIndex(of: "@"), let plus = address[..<at].firstIndex(of: "+") else { return nil }
        return try? verify(String(address[address.index(after: plus)..<at]), key: key)
    }
}
