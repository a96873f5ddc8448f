import Crypto
import Foundation

/// The opaque token in unsubscribe and preference links: which subscriber, which list,
/// signed with HMAC-SHA256 so it can be neither forged nor derived from an address.
///
/// Shape: `v1.<subscriber id>.<list>.<signature>`, the signature being the first 128 bits of
/// HMAC-SHA256(key, "v1.<id>.<list>") in base64url. The id is not secret; the signature is
/// what proves the link came from us.
public struct SubscriptionToken: Sendable, Hashable {
    public var subscriberID: Int64
    public var listName: String

    public init(subscriberID: Int64, listName: String) {
        self.subscriberID = subscriberID
        self.listName = listName
    }

    private var payload: String { "v1.\(subscriberID).\(listName)" }

    /// The token text, safe in a URL and in a mailto subject.
    public func signed(with key: SigningKey) -> String {
        payload + "." + Self.signature(payload, key: key)
    }

    /// Reads a token, refusing any whose signature does not match.
    public static func verify(_ text: String, key: SigningKey) throws(TokenError) -> SubscriptionToken {
        let (id, list) = try verifiedFields(text, prefix: "v1", key: key)
        return SubscriptionToken(subscriberID: id, listName: list)
    }

    /// The subscriber id and list of a `<prefix>.<id>.<list>.<signature>` token whose
    /// signature matches: shared by every token kind, which differ only in their prefix.
    static func verifiedFields(_ text: String, prefix: String, key: SigningKey) throws(TokenError) -> (Int64, String) {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == prefix, let id = Int64(parts[1]), !parts[2].isEmpty else { throw .malformed }
        let payload = "\(prefix).\(id).\(parts[2])"
        guard let given = Data(base64URL: String(parts[3])), constantTimeEqual(given, fullCode(payload, key: key).prefix(16)) else {
            throw .badSignature
        }
        return (id, String(parts[2]))
    }

    static func fullCode(_ payload: String, key: SigningKey) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: key.symmetric))
    }

    /// Compares without stopping at the first difference, so timing reveals nothing.
    static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func signature(_ payload: String, key: SigningKey) -> String {
        fullCode(payload, key: key).prefix(16).base64URLEncodedString()
    }
}

/// Why a token was refused.
public enum TokenError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed
    case badSignature

    public var description: String {
        switch self {
        case .malformed: "this is not a Gazette subscription token"
        case .badSignature: "the token's signature does not match: it was altered, or signed with another key"
        }
    }
}

/// The secret that signs subscription tokens: from `GAZETTE_TOKEN_KEY`, or a key file
/// (created with 256 random bits, readable by its owner only, the first time it is needed).
public struct SigningKey: Sendable {
    private let secret: Data

    public init(secret: Data) {
        self.secret = secret
    }

    var symmetric: SymmetricKey { SymmetricKey(data: secret) }

    /// The key named by the environment, else the one in `file`, creating the file (mode 0600)
    /// if needed. Without `create` (commands that only read) a missing file gives a key of the
    /// moment, never written: tokens it signs are for looking at, not for mailing.
    public static func load(environment: [String: String], file: String, create: Bool = true) throws -> SigningKey {
        if let secret = environment["GAZETTE_TOKEN_KEY"], !secret.isEmpty { return SigningKey(secret: Data(secret.utf8)) }
        let manager = FileManager.default
        if !create, !manager.fileExists(atPath: file) {
            return SigningKey(secret: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
        }
        if !manager.fileExists(atPath: file) {
            let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            // Created 0600 from its first byte, then renamed into place: never readable by others.
            do {
                try OutputFile(path: file, mode: 0o600).write(Data((secret + "\n").utf8))
            } catch {
                throw TokenKeyError(path: file)
            }
        }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw TokenKeyError(path: file)
        }
        return SigningKey(secret: Data(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8))
    }
}

public struct TokenKeyError: Error, CustomStringConvertible {
    public let path: String
    public var description: String {
        "cannot read or create the token signing key \(path); set GAZETTE_TOKEN_KEY or make the file readable"
    }
}

extension Data {
    init?(base64URL text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }

    /// Base64 with `-` and `_` for `+` and `/`, without padding (RFC 4648 §5). Mapped byte by
    /// byte: three `replacingOccurrences` passes were half the cost of signing each
    /// subscriber's links at a newsroom's scale.
    func base64URLEncodedString() -> String {
        let bytes = base64EncodedData().compactMap { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "+"): UInt8(ascii: "-")
            case UInt8(ascii: "/"): UInt8(ascii: "_")
            case UInt8(ascii: "="): nil
            default: byte
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
