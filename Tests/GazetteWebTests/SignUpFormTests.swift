import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Testing

/// The public sign-up form: a pending subscriber and one confirmation mail, the same answer
/// for new and known addresses and for robots, and a limit per client address.
@Suite struct SignUpFormTests {
    @Test func signUpsArePendingSayTheSameForEveryoneAndAreLimitedPerAddress() async throws {
        let server = try await WebTestServer(web: [
            "base_url = \"http://127.0.0.1\"", "subscribe = true", "subscribes_per_hour = 3",
        ])
        defer { server.stop() }
        let known = try server.subscriber("known@sample.test")
        let client = ["X-Forwarded-For": "198.51.100.7"]

        let form = try await server.get("/subscribe")
        #expect(form.status == 200)
        #expect(form.body.contains("name=\"website\""))

        // A robot fills in the honeypot: the same answer, nothing stored or sent.
        let robot = try await server.post(
            "/subscribe", form: [("email", "robot@sample.test"), ("list", "daily"), ("website", "http://spam.test")],
            headers: client)
        #expect(robot.status == 200)
        #expect(try server.environment.database.subscriber(email: "robot@sample.test") == nil)

        let fresh = try await server.post(
            "/subscribe", form: [("email", "fresh@sample.test"), ("list", "daily")], headers: client)
        #expect(fresh.status == 200)
        #expect(try server.environment.database.subscriber(email: "fresh@sample.test")?.status == .pending)
        #expect(try server.outbox().count == 1)

        let again = try await server.post(
            "/subscribe", form: [("email", "known@sample.test"), ("list", "daily")], headers: client)
        #expect(again.status == 200)
        #expect(again.body == fresh.body)  // a known address looks exactly like a new one
        #expect(try server.reload(known).0.status == .active)
        #expect(try server.outbox().count == 1)
        #expect(robot.body == fresh.body)

        let limited = try await server.post(
            "/subscribe", form: [("email", "fourth@sample.test"), ("list", "daily")], headers: client)
        #expect(limited.status == 429)
        #expect(try server.environment.database.subscriber(email: "fourth@sample.test") == nil)

        // Another client is not held back by the first one's limit.
        let other = try await server.post(
            "/subscribe", form: [("email", "other@sample.test"), ("list", "daily")], headers: ["X-Forwarded-For": "198.51.100.8"])
        #expect(other.status == 200)
    }

    @Test func theFormIsOffUnlessTheConfigTurnsItOn() async throws {
        let server = try await WebTestServer()
        defer { server.stop() }
        #expect(try await server.get("/subscribe").status == 404)
        #expect(try await server.post("/subscribe", form: [("email", "x@sample.test"), ("list", "daily")]).status == 404)
        #expect(try server.environment.database.subscriber(email: "x@sample.test") == nil)
    }
}
