import Crypto
import Foundation

extension DigestDelivery {
    /// The MIME boundary of a message, from its Message-ID: random enough never to occur in
    /// the body (the Message-ID carries 64 random bits), and the same on every resend, so a
    /// message sent again after a crash is the same bytes.
    static func boundary(forMessageID messageID: String) -> String {
        "=_gazette_" + SHA256.hash(data: Data(messageID.utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
    }
}
