import Crypto
import Foundation

extension DigestDelivery {
    /// The MIME boundary of a message, from its Message-ID: random enough never to occur in
    /// the body (the Message-ID carries 64 random bits), and the same on every resend, so a
    /// message sent again after a crash is the same bytes.
    static func boundary(forMessageID messageID: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = Array("=_gazette_".utf8)
        // By hand rather than `String(format:)`, which cost more than the hash, once per message.
        for byte in SHA256.hash(data: Data(messageID.utf8)).prefix(12) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
