import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Testing

/// One-click unsubscribe against the real server: RFC 8058's POST works at once, a GET (what
/// mail scanners do) changes nothing, and only our own untouched tokens are honoured.
@Suite struct UnsubscribeTests {
    @Test func aOneClickPostUnsubscribesAndRepeatingItChangesNothing() async throws {
        let server = try await WebTestServer()
        defer { server.stop() }
        let reader = try server.subscriber("reader@sample.test")
        let path = "/unsubscribe?token=" + server.token(reader).queryEncoded

        let first = try await server.post(path, form: [("List-Unsubscribe", "One-Click")])
        #expect(first.status == 200)
        #expect(first.body.contains("You are unsubscribed"))
        #expect(try server.reload(reader).0.status == .unsubscribed)

        let again = try await server.post(path, form: [("List-Unsubscribe", "One-Click")])
        #expect(again.status == 200)
        #expect(try server.reload(reader).0.status == .unsubscribed)
    }

    @Test func aGetShowsAButtonThatPostsAndChangesNothing() async throws {
        let server = try await WebTestServer()
        defer { server.stop() }
        let reader = try server.subscriber("scanner-target@sample.test")
        let token = server.token(reader)

        let page = try await server.get("/unsubscribe?token=" + token.queryEncoded)
        #expect(page.status == 200)
        #expect(page.body.contains("<form method=\"post\">"))
        #expect(page.body.contains("name=\"token\" value=\"\(token)\""))
        #expect(page.headers["cache-control"] == "no-store")
        #expect(page.headers["content-security-policy"]?.contains("default-src 'none'") == true)
        let (after, lists) = try server.reload(reader)
        #expect(after.status == .active)
        #expect(lists.map(\.listName) == ["daily"])

        // The page's own button: the token in the form, not the query.
        let pressed = try await server.post("/unsubscribe", form: [("token", token)])
        #expect(pressed.status == 200)
        #expect(try server.reload(reader).0.status == .unsubscribed)
    }

    @Test func forgedTruncatedAndRelabelledTokensAreRefusedAndChangeNothing() async throws {
        let server = try await WebTestServer(list: [
            "[[lists]]", "name = \"weekly\"", "title = \"Weekly\"", "sender_name = \"Weekly\"",
            "sender_address = \"weekly@sample.test\"",
        ])
        defer { server.stop() }
        let reader = try server.subscriber("careful@sample.test", lists: ["daily", "weekly"])
        let token = server.token(reader)
        let parts = token.split(separator: ".").map(String.init)
        let otherKey = SubscriptionToken(subscriberID: reader.id!, listName: "daily").signed(
            with: SigningKey(secret: Data("another".utf8)))
        let refused: [(String, Int)] = [
            (String(token.dropLast(4)), 403),  // truncated signature
            ("v1.\(reader.id!).daily", 400),  // no signature at all
            ([parts[0], parts[1], "weekly", parts[3]].joined(separator: "."), 403),  // another list, same signature
            ([parts[0], String(reader.id! + 1), parts[2], parts[3]].joined(separator: "."), 403),  // another reader
            (otherKey, 403),  // signed with another key
            (SubscriptionToken(subscriberID: reader.id!, listName: "gone").signed(with: server.environment.signingKey), 404),
        ]
        for (bad, status) in refused {
            let reply = try await server.post("/unsubscribe?token=" + bad.queryEncoded, form: [("List-Unsubscribe", "One-Click")])
            #expect(reply.status == status, "\(bad)")
            #expect(reply.body.contains("not valid") || reply.body.contains("Not found"))
        }
        let missing = try await server.post("/unsubscribe", form: [("List-Unsubscribe", "One-Click")])
        #expect(missing.status == 400)
        let (after, lists) = try server.reload(reader)
        #expect(after.status == .active)
        #expect(lists.map(\.listName) == ["daily", "weekly"])
    }
}
