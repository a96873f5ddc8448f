import Crypto
import Foundation

/// How a removed subscriber who had unsubscribed or bounced is remembered: the SHA-256 of
/// the lower-cased address, enough to recognise it in a later import, not to mail it.
enum Suppression {
    static func hash(_ email: String) -> String {
        SHA256.hash(data: Data(email.lowercased().utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
