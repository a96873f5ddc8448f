import Foundation
import GazetteModel
import GazetteStore
import Mailing

/// A digest as a subscriber would get it, built from the store without sending or recording.
public struct PreviewResult: Sendable {
    public var digest: Digest
    public var subject: String
    /// The view model the templates rendered, for other views (the terminal).
    public var model: DigestViewModel
    public var rendered: RenderedDigest
    /// The whole MIME message, as the transport would receive it.
    public var eml: Data
    /// Where the last digest that reached this subscriber ended, if one did.
    public var lastSentWindowEnd: Date?
}

/// `gazette preview`: the same selection and templates as the real send.
public struct Preview: Sendable {
    public var config: GazetteConfig

    public init(config: GazetteConfig) {
        self.config = config
    }

    /// - Parameters:
    ///   - listName: the list; defaults to the config's first list.
    ///   - email: the subscriber; without one, the whole list over the first-digest look-back.
    public func run(listName: String?, email: String?, explain: Bool = false, environment: AppEnvironment) throws -> PreviewResult {
        let (list, subscriber, subscription) = try reader(listName: listName, email: email, environment: environment)
        let now = environment.now()
        let delivery = DigestDelivery(timeZone: config.timeZone)
        var pools = DigestDelivery.PoolCache()
        let prepared = try delivery.prepare(
            list: list, subscriber: subscriber, subscription: subscription, now: now, pools: &pools, environment: environment,
            explain: explain)
        let messageID = DigestMessageComposer.messageID(
            list: list, edition: delivery.edition(of: list, at: now).key, subscriberID: subscriber.id ?? 0,
            token: environment.makeToken())
        let eml = delivery.message(prepared, messageID: messageID, date: now, environment: environment)
        let lastSent = try subscriber.id.flatMap { try environment.database.lastSentWindowEnd(subscriberID: $0, listName: list.name) }
        return PreviewResult(
            digest: prepared.digest, subject: prepared.model.subject, model: prepared.model, rendered: prepared.rendered, eml: eml,
            lastSentWindowEnd: lastSent)
    }

    /// The list, and the reader whose digest to show: the subscriber with `email` (who must
    /// be in the list), or without one an editor who follows everything on a first digest.
    func reader(listName: String?, email: String?, environment: AppEnvironment) throws -> (SubscriberList, Subscriber, Subscription) {
        guard let list = try listName.map({ try config.list(named: $0) }) ?? config.lists.first else {
            throw ConfigError.unknownList(name: listName ?? "(none)", known: [], file: config.file)
        }
        guard let email else {
            let editor = Subscriber(
                email: "preview@" + MailAddress(address: list.senderAddress).domain, name: "Editor", createdAt: environment.now())
            return (list, editor, Subscription(subscriberID: 0, listName: list.name))
        }
        guard let found = try environment.database.subscriber(email: email), let id = found.id else {
            throw AdminError.noSuchSubscriber(email)
        }
        guard let membership = try environment.database.subscriptions(ofSubscriber: id).first(where: { $0.listName == list.name })
        else { throw AdminError.notInList(email: email, list: list.name) }
        return (list, found, membership)
    }
}
