import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Mailing
import Testing

@Suite struct SubscriptionTokenTests {
    let key = SigningKey(secret: Data("a test key that is long enough".utf8))

    @Test func aSignedTokenVerifiesAndATamperedOneDoesNot() throws {
        let token = SubscriptionToken(subscriberID: 42, listName: "daily").signed(with: key)
        #expect(try SubscriptionToken.verify(token, key: key) == SubscriptionToken(subscriberID: 42, listName: "daily"))
        // Another subscriber's id with the same signature, another list, another key: all refused.
        #expect(throws: TokenError.badSignature) { try SubscriptionToken.verify(token.replacingOccurrences(of: ".42.", with: ".43."), key: key) }
        #expect(throws: TokenError.badSignature) { try SubscriptionToken.verify(token.replacingOccurrences(of: ".daily.", with: ".weekly."), key: key) }
        #expect(throws: TokenError.badSignature) { try SubscriptionToken.verify(token, key: SigningKey(secret: Data("another key".utf8))) }
        #expect(throws: TokenError.malformed) { try SubscriptionToken.verify("reader@gazette.test", key: key) }
        #expect(!token.contains("@"))
    }

    /// Tokens already in readers' mailboxes must keep verifying: the signature is the first
    /// 16 bytes of HMAC-SHA256 in unpadded base64url (worked out apart with Python's hmac).
    @Test func theSignatureIsUnpaddedBase64URLOfTheHMAC() throws {
        let token = SubscriptionToken(subscriberID: 17, listName: "daily").signed(with: key)
        #expect(token == "v1.17.daily.hjKpDMy_C7OfY_5sO-IXwQ")
        #expect(try SubscriptionToken.verify(token, key: key) == SubscriptionToken(subscriberID: 17, listName: "daily"))
    }

    @Test func theKeyFileIsCreatedPrivateAndReused() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let file = folder.path("gazette.key")
        let first = try SigningKey.load(environment: [:], file: file)
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let again = try SigningKey.load(environment: [:], file: file)
        let token = SubscriptionToken(subscriberID: 1, listName: "daily").signed(with: first)
        #expect(try SubscriptionToken.verify(token, key: again).subscriberID == 1)
        let fromEnvironment = try SigningKey.load(environment: ["GAZETTE_TOKEN_KEY": "env secret"], file: file)
        #expect(throws: TokenError.badSignature) { try SubscriptionToken.verify(token, key: fromEnvironment) }
    }

    @Test func anUnsubscribeTokenTakesTheSubscriberOffTheListForGood() throws {
        let config = GazetteConfig(
            file: "gazette.toml", databasePath: ":memory:", delivery: .outbox(folder: "/tmp/unused"), sources: [],
            lists: [.fixture(name: "daily"), .fixture(name: "weekly")])
        let environment = AppEnvironment(
            database: try AppDatabase.inMemory(), http: OfflineHTTPClient(), transport: MaildirTransport(directory: URL(fileURLWithPath: "/tmp/unused")),
            templates: try DigestTemplates.load(), signingKey: key)
        let admin = SubscriberAdmin(config: config)
        let subscriber = try admin.add(NewSubscriber(email: "dana@sample.test"), environment: environment)
        let id = try #require(subscriber.id)
        let daily = SubscriptionToken(subscriberID: id, listName: "daily").signed(with: key)
        let weekly = SubscriptionToken(subscriberID: id, listName: "weekly").signed(with: key)

        guard case .leftList = try admin.unsubscribe(token: daily, environment: environment) else { Issue.record("expected to leave one list"); return }
        #expect(try environment.database.subscriptions(ofSubscriber: id).map(\.listName) == ["weekly"])
        guard case .alreadyUnsubscribed = try admin.unsubscribe(token: daily, environment: environment) else { Issue.record("a second click changes nothing"); return }
        guard case .unsubscribed = try admin.unsubscribe(token: weekly, environment: environment) else { Issue.record("expected unsubscribed"); return }
        #expect(try environment.database.subscriber(email: "dana@sample.test")?.status == .unsubscribed)
    }
}
