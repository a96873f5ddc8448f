import Foundation
import GazetteModel

/// Wraps a rendered digest in its envelope and list headers. Pure.
public enum DigestMessageComposer {
    /// The message for `digest`, with `List-Id`, `List-Unsubscribe` (and RFC 8058's
    /// `List-Unsubscribe-Post` when there is an https endpoint) and bulk-mail headers.
    public static func compose(
        digest: Digest, rendered: RenderedDigest, subject: String, messageID: String, date: Date, links: DigestLinks
    ) -> MailMessage {
        let list = digest.list
        let sender = MailAddress(name: list.senderName, address: list.senderAddress)
        // RFC 2369 lists the https URI first when there is one; RFC 8058's one-click POST
        // header is only promised when it is there.
        var unsubscribe = ["<\(links.unsubscribeMailto)>"]
        var oneClick: [(name: String, value: String)] = []
        if let https = links.unsubscribeURL {
            unsubscribe.insert("<\(https)>", at: 0)
            oneClick = [("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]
        }
        return MailMessage(
            from: sender,
            to: MailAddress(name: digest.subscriber.name, address: digest.subscriber.email),
            subject: subject,
            date: date,
            messageID: messageID,
            extraHeaders: [
                ("List-Id", "\(HeaderEncoding.listIDPhrase(list.title)) <\(list.name).\(sender.domain)>"),
                ("List-Unsubscribe", unsubscribe.joined(separator: ", ")),
            ] + oneClick + [
                ("Auto-Submitted", "auto-generated"),
                ("Precedence", "bulk"),
            ],
            text: rendered.text,
            html: rendered.html)
    }

    /// A Message-ID unique to this subscriber, list and edition, on the sender's domain: the
    /// edition, list and subscriber make it unique, the random token unguessable.
    public static func messageID(list: SubscriberList, edition: String, subscriberID: Int64, token: String) -> String {
        "\(edition).\(list.name).\(subscriberID).\(token)@\(MailAddress(address: list.senderAddress).domain)"
    }
}

extension HeaderEncoding {
    /// List-Id's phrase: ASCII titles go in quotes when they hold specials, others are encoded.
    static func listIDPhrase(_ title: String) -> String {
        let clean = sanitized(title)
        if isPrintableASCII(clean) {
            guard clean.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") }) else { return "\"" + clean + "\"" }
            return "\"" + clean.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return encodedWords(clean, firstLineUsed: 9).joined(separator: " ")
    }
}
