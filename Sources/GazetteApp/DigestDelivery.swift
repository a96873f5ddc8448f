import DigestBuilding
import Foundation
import GazetteModel
import GazetteStore
import Logging
import Mailing

/// What happened to one subscriber's digest in a run.
public struct DeliveryResult: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        case sent(articles: Int, messageID: String)
        /// Nothing new for this subscriber since their last digest.
        case nothingNew
        /// This edition already reached the subscriber; sending again would be a duplicate.
        case alreadySent
        /// Paused, unsubscribed, bounced or pending subscribers get nothing.
        case inactive(SubscriberStatus)
        case failed(String)
    }

    public var list: String
    public var email: String
    public var outcome: Outcome
}

/// Builds and sends one list's digests, one per active subscriber, recording each in the ledger.
///
/// The ledger row is claimed (pending) before the transport sees the message and marked
/// sent after, so a second run never sends an edition twice, and a run that died mid-send
/// retries with the same Message-ID.
public struct DigestDelivery: Sendable {
    public var builder: DigestBuilder
    public var timeZone: TimeZone

    public init(builder: DigestBuilder = DigestBuilder(), timeZone: TimeZone) {
        self.builder = builder
        self.timeZone = timeZone
    }

    /// The edition key of a digest sent at `date`: its calendar day in the list's zone.
    public func edition(at date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    public func run(list: SubscriberList, environment: AppEnvironment) async throws -> [DeliveryResult] {
        var results: [DeliveryResult] = []
        for (subscriber, subscription) in try environment.database.subscriptions(inList: list.name) {
            let outcome: DeliveryResult.Outcome
            if subscriber.status != .active {
                outcome = .inactive(subscriber.status)
            } else {
                do {
                    outcome = try await deliver(list: list, subscriber: subscriber, subscription: subscription, environment: environment)
                } catch {
                    outcome = .failed(String(describing: error))
                }
            }
            if case .failed(let reason) = outcome {
                environment.logger.error("\(list.name) → \(subscriber.email): \(reason)")
            }
            results.append(DeliveryResult(list: list.name, email: subscriber.email, outcome: outcome))
        }
        return results
    }

    private func deliver(
        list: SubscriberList, subscriber: Subscriber, subscription: Subscription, environment: AppEnvironment
    ) async throws -> DeliveryResult.Outcome {
        let database = environment.database
        guard let subscriberID = subscriber.id else { return .failed("subscriber has no id") }
        let now = environment.now()
        let prepared = try prepare(list: list, subscriber: subscriber, subscription: subscription, now: now, environment: environment)
        guard !prepared.digest.isEmpty else { return .nothingNew }

        let edition = edition(at: now)
        let claimed = try database.claimDelivery(Delivery(
            subscriberID: subscriberID, listName: list.name, edition: edition, window: prepared.digest.window,
            status: .pending,
            messageID: DigestMessageComposer.messageID(list: list, edition: edition, token: environment.makeToken()),
            articleCount: prepared.digest.articleCount, createdAt: now))
        if claimed.status == .sent { return .alreadySent }
        guard let deliveryID = claimed.id else { return .failed("the ledger returned no id") }

        let data = try render(prepared, messageID: claimed.messageID, date: now, environment: environment)
        do {
            try await environment.transport.deliver(OutgoingMessage(
                envelopeFrom: list.senderAddress, recipient: subscriber.email, messageID: claimed.messageID, data: data))
        } catch {
            try database.markDeliveryFailed(id: deliveryID, error: String(describing: error))
            return .failed(String(describing: error))
        }
        try database.markDeliverySent(id: deliveryID, at: environment.now())
        return .sent(articles: prepared.digest.articleCount, messageID: claimed.messageID)
    }

    /// A digest and its view model, before any Message-ID exists. Shared with `Preview`.
    struct Prepared {
        var digest: Digest
        var model: DigestViewModel
    }

    func prepare(
        list: SubscriberList, subscriber: Subscriber, subscription: Subscription, now: Date, environment: AppEnvironment
    ) throws -> Prepared {
        let lastSent = try subscriber.id.flatMap { try environment.database.lastSentWindowEnd(subscriberID: $0, listName: list.name) }
        let window = builder.window(lastSentEnd: lastSent, now: now)
        let articles = try environment.database.articles(firstSeenIn: window)
        let digest = builder.build(list: list, subscriber: subscriber, subscription: subscription, articles: articles, window: window)
        return Prepared(digest: digest, model: DigestViewModel(digest: digest, date: now, timeZone: timeZone))
    }

    /// The complete MIME message for a prepared digest.
    func render(_ prepared: Prepared, messageID: String, date: Date, environment: AppEnvironment) throws -> Data {
        let rendered = try environment.templates.render(prepared.model)
        let message = DigestMessageComposer.compose(
            digest: prepared.digest, rendered: rendered, subject: prepared.model.subject, messageID: messageID, date: date)
        return MIMEWriter.render(message, boundary: "=_gazette_" + environment.makeToken(), timeZone: timeZone)
    }
}
