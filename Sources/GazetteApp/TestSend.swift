import Foundation
import GazetteModel
import GazetteStore
import Mailing

/// `gazette send --to EMAIL [--as SUBSCRIBER]`: one digest mailed to any address, usually the
/// editor's, as it stands now for a subscriber (or for a reader who follows everything),
/// outside the ledger: nothing is recorded and the subscriber's next digest is unchanged.
///
/// The subject starts with "[test]", and the unsubscribe and preference links carry a token
/// for no subscriber, so a click in the editor's inbox never unsubscribes the reader.
public struct TestSend: Sendable {
    public var config: GazetteConfig

    public init(config: GazetteConfig) {
        self.config = config
    }

    /// What was mailed.
    public struct Result: Sendable {
        public var messageID: String
        public var subject: String
        public var articles: Int
    }

    public func run(to address: String, asSubscriber email: String?, listName: String?, environment: AppEnvironment) async throws -> Result {
        let recipient: String
        switch EmailAddress.validate(address) {
        case .success(let valid): recipient = valid
        case .failure(let problem): throw AdminError.invalidAddress(problem.description)
        }
        let (list, reader, subscription) = try Preview(config: config).reader(listName: listName, email: email, environment: environment)
        let now = environment.now()
        let delivery = DigestDelivery(timeZone: config.timeZone)
        var pools = DigestDelivery.PoolCache()
        // The subscriber's own window, but links that belong to nobody.
        let window = try delivery.nextWindow(list: list, subscriber: reader, now: now, environment: environment)
        var anonymous = reader
        anonymous.id = nil
        let (digest, links) = try delivery.build(
            list: list, subscriber: anonymous, subscription: subscription, now: now, window: window, pools: &pools,
            environment: environment)
        let prepared = try delivery.render(digest, links: links, list: list, now: now, environment: environment)
        let messageID = "test.\(list.name).\(environment.makeToken())@\(MailAddress(address: list.senderAddress).domain)"
        var message = DigestMessageComposer.compose(
            digest: prepared.digest, rendered: prepared.rendered, subject: "[test] " + prepared.model.subject, messageID: messageID,
            date: now, links: links)
        message.to = MailAddress(name: nil, address: recipient)
        let data = MIMEWriter.render(message, boundary: DigestDelivery.boundary(forMessageID: messageID), timeZone: config.timeZone)
        try await environment.transport.deliver(
            OutgoingMessage(envelopeFrom: list.senderAddress, recipient: recipient, messageID: messageID, data: data))
        return Result(messageID: messageID, subject: message.subject, articles: prepared.digest.articleCount)
    }
}
