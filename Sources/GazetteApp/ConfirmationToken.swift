import Foundation

/// The token in a double opt-in confirmation mail: which subscriber, which list, signed with
/// the same key as unsubscribe tokens but under its own prefix (`c1`), so an unsubscribe
/// link can never be replayed as a confirmation, nor the other way round.
///
/// Shape: `c1.<subscriber id>.<list>.<signature>` (see `SubscriptionToken`).
public struct ConfirmationToken: Sendable, Hashable {
    public var subscriberID: Int64
    public var listName: String

    public init(subscriberID: Int64, listName: String) {
        self.subscriberID = subscriberID
        self.listName = listName
    }

    private var payload: String { "c1.\(subscriberID).\(listName)" }

    public func signed(with key: SigningKey) -> String {
        payload + "." + SubscriptionToken.signature(payload, key: key)
    }

    /// Reads a token, refusing any whose signature does not match.
    public static func verify(_ text: String, key: SigningKey) throws(TokenError) -> ConfirmationToken {
        let (id, list) = try SubscriptionToken.verifiedFields(text, prefix: "c1", key: key)
        return ConfirmationToken(subscriberID: id, listName: list)
    }
}
