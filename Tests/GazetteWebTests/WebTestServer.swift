import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import GazetteTestSupport
import GazetteWeb
import Logging
import Mailing
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A real `gazette serve` on 127.0.0.1 (an ephemeral port) over a real SQLite file and an
/// outbox folder, with the config a test asks for and a fixed clock.
final class WebTestServer: Sendable {
    let folder: TemporaryDirectory
    let config: GazetteConfig
    let environment: AppEnvironment
    let port: Int
    private let task: Task<Void, any Error>

    static let now = Date(timeIntervalSince1970: 1_795_676_400)

    /// - Parameters:
    ///   - web: the lines of the `[web]` table.
    ///   - list: lines added to the "daily" list, then any further lists.
    init(
        web: [String] = ["base_url = \"http://127.0.0.1\""], list: [String] = [],
        sources: [(name: String, feed: String)] = TestConfig.sampleFeeds
    ) async throws {
        folder = try TemporaryDirectory("gazette-web")
        try TestConfig.write(
            in: folder.url, sources: sources,
            top: ["database = \"gazette.sqlite\"", "timezone = \"Asia/Jerusalem\"", "[web]"] + web, list: list)
        let loaded = try ConfigLoader.load(path: folder.path("gazette.toml"))
        let database = try AppDatabase.open(path: loaded.databasePath)
        config = loaded.including(try ListCatalog.load(config: loaded, database: database))
        environment = AppEnvironment(
            database: database, http: OfflineHTTPClient(),
            transport: MaildirTransport(directory: folder.url.appendingPathComponent("outbox")),
            templates: try DigestTemplates.load(), now: { WebTestServer.now },
            signingKey: SigningKey(secret: Data("web-test-key".utf8)))
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = WebServer(
            config: config, environment: environment, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        task = Task { try await server.run(host: "127.0.0.1", port: 0) { _ = continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestServerError("the web server did not start") }
        self.port = port
    }

    func stop() {
        task.cancel()
        folder.remove()
    }

    func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

    struct Reply {
        var status: Int
        var body: String
        var headers: [String: String]
    }

    func get(_ path: String) async throws -> Reply { try await send(URLRequest(url: url(path))) }

    /// POSTs a form (`application/x-www-form-urlencoded`), as a browser or a mail provider does.
    func post(_ path: String, form: [(String, String)], headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: url(path))
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        request.httpBody = Data(
            form.map {
                "\($0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($1.addingPercentEncoding(withAllowedCharacters: allowed)!)"
            }
            .joined(separator: "&").utf8)
        return try await send(request)
    }

    /// The server runs in this test process, on the same two cooperative threads as every
    /// other suite running in parallel, and many of those block a thread while a child
    /// process works (`GazetteBinary.run`). On a loaded machine a request can so wait longer
    /// than URLSession's default 60 s (seen once in twelve runs, under four builds at once):
    /// the client waits as long as a whole test run may take instead, so the verdict never
    /// depends on the machine's load.
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 900
        configuration.timeoutIntervalForResource = 900
        return URLSession(configuration: configuration)
    }()

    private func send(_ request: URLRequest) async throws -> Reply {
        var request = request
        request.timeoutInterval = 900
        let (data, response) = try await Self.session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw TestServerError("not an HTTP response") }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields { headers[String(describing: name).lowercased()] = String(describing: value) }
        return Reply(status: http.statusCode, body: String(decoding: data, as: UTF8.self), headers: headers)
    }

    // MARK: - Readers

    /// Adds an active subscriber to `lists`.
    @discardableResult
    func subscriber(_ email: String, lists: [String] = ["daily"]) throws -> Subscriber {
        try SubscriberAdmin(config: config).add(NewSubscriber(email: email, lists: lists), environment: environment)
    }

    func token(_ subscriber: Subscriber, list: String = "daily") -> String {
        SubscriptionToken(subscriberID: subscriber.id!, listName: list).signed(with: environment.signingKey)
    }

    func reload(_ subscriber: Subscriber) throws -> (Subscriber, [Subscription]) {
        let fresh = try environment.database.subscriber(id: subscriber.id!)!
        return (fresh, try environment.database.subscriptions(ofSubscriber: subscriber.id!))
    }

    /// The messages in the outbox, oldest name first.
    func outboxFiles() -> [URL] {
        let folder = self.folder.url.appendingPathComponent("outbox/new")
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        return files.sorted { $0.path < $1.path }
    }

    /// The messages in the outbox, as text.
    func outbox() throws -> [String] {
        try outboxFiles().map { try String(contentsOf: $0, encoding: .utf8) }
    }
}

extension String {
    /// Percent-encoded for a URL query value.
    var queryEncoded: String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return addingPercentEncoding(withAllowedCharacters: allowed)!
    }
}
