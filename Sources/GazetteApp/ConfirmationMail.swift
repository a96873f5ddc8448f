import Foundation
import GazetteModel
import Mailing

/// The double opt-in mail: asks the reader to confirm a list, carrying the signed token.
///
/// With a list's `confirm_url` the mail holds the link; without one it asks the reader to
/// reply, and the editor runs `gazette subscribers confirm TOKEN` with the code from the reply.
enum ConfirmationMail {
    static func message(
        list: SubscriberList, subscriber: Subscriber, token: String, date: Date, randomToken: String, timeZone: TimeZone
    ) -> OutgoingMessage {
        let greeting = subscriber.name.map { "Hello \($0)," } ?? "Hello,"
        let how: String
        if let template = list.confirmURLTemplate {
            how = "To confirm, open this link:\n\n\(template.replacingOccurrences(of: "{token}", with: token))"
        } else {
            how = "To confirm, reply to this message and keep this line in your reply:\n\nConfirmation code: \(token)"
        }
        let text = """
            \(greeting)

            Someone, hopefully you, asked to receive "\(list.title)" from \(list.senderName) at \(subscriber.email).
            \(how)

            If it was not you, ignore this message: nothing more will be sent.

            """
        let html = "<!DOCTYPE html>\n<html><body><pre style=\"font-family: sans-serif; white-space: pre-wrap\">"
            + escapeHTML(text) + "</pre></body></html>\n"
        let sender = MailAddress(name: list.senderName, address: list.senderAddress)
        let messageID = "confirm.\(list.name).\(subscriber.id ?? 0).\(randomToken)@\(sender.domain)"
        let message = MailMessage(
            from: sender, to: MailAddress(name: subscriber.name, address: subscriber.email),
            subject: "Please confirm your subscription to \(list.title)", date: date, messageID: messageID,
            extraHeaders: [("Auto-Submitted", "auto-generated")], text: text, html: html)
        return OutgoingMessage(
            envelopeFrom: list.senderAddress, recipient: subscriber.email, messageID: messageID,
            data: MIMEWriter.render(message, boundary: "=_gazette_confirm_\(randomToken)", timeZone: timeZone))
    }

    private static func escapeHTML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
