import FeedFetching
import Foundation
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Mailing
import Testing

@testable import GazetteApp

/// Pages of subscribers are built and sent by several workers at once, each with its own
/// rendering caches over the edition's shared blocks and costs: every subscriber still gets exactly one message, the very bytes one worker alone
/// would have sent, and every acceptance is committed.
@Suite struct ParallelDeliveryTests {
    /// Forty readers: a quarter follow nothing, the others a section; some without a name.
    static let csv: String = {
        var lines = ["email,name,lists,sections,tags"]
        let follows = ["", "Opinions", "News", "News > Middle East"]
        for number in 0..<40 {
            let name = number % 3 == 0 ? "" : "Reader \(number)"
            lines.append("reader\(String(format: "%02d", number))@sample.test,\(name),daily,\(follows[number % 4]),")
        }
        return lines.joined(separator: "\n")
    }()

    static let now = Date(timeIntervalSince1970: 1_795_676_400)

    /// A database with the readers and the sample feeds' articles, in `folder`.
    static func environment(in folder: TemporaryDirectory, transport: any MailTransport) async throws -> (GazetteConfig, AppEnvironment) {
        try TestConfig.write(in: folder.url, top: ["database = \"gazette.sqlite\"", "timezone = \"Asia/Jerusalem\""])
        let config = try ConfigLoader.load(path: folder.path("gazette.toml"))
        let environment = AppEnvironment(
            database: try AppDatabase.open(path: config.databasePath), http: OfflineHTTPClient(), transport: transport,
            templates: try DigestTemplates.load(), now: { now }, makeToken: { "0123456789abcdef" },
            signingKey: SigningKey(secret: Data("fixed".utf8)))
        _ = try SubscriberAdmin(config: config).importCSV(text: csv, defaultList: nil, environment: environment)
        _ = try await SourceFetch().run(config.sources, environment: environment)
        return (config, environment)
    }

    @Test func twoWorkersSendWhatOneWouldEachOnceAndCommitEveryAcceptance() async throws {
        // One worker, one page: the reference.
        let serialFolder = try TemporaryDirectory("gazette-serial")
        defer { serialFolder.remove() }
        let recorder = PreviewFidelityTests.RecordingTransport()
        let (config, serialEnvironment) = try await Self.environment(in: serialFolder, transport: recorder)
        let list = try config.list(named: "daily")
        var serial = DigestDelivery(timeZone: config.timeZone)
        serial.workers = 1
        let serialResults = try await serial.run(list: list, edition: "e1", environment: serialEnvironment)
        let reference = await recorder.messages
        #expect(reference.count == 40)

        // Two workers over pages of seven, to a real SMTP server over four connections.
        let smtp = try LoopbackSMTPServer()
        let parallelFolder = try TemporaryDirectory("gazette-parallel")
        defer { parallelFolder.remove() }
        let transport = CurlSMTPTransport(settings: SMTPSettings(url: smtp.url, starttls: .off, connections: 4))
        let (_, environment) = try await Self.environment(in: parallelFolder, transport: transport)
        var parallel = DigestDelivery(timeZone: config.timeZone)
        parallel.workers = 2
        parallel.pageSize = 7
        let results = try await parallel.run(list: list, edition: "e1", environment: environment)

        #expect(results.map(\.email) == serialResults.map(\.email), "results in address order")
        #expect(results.map(\.outcome) == serialResults.map(\.outcome))
        let accepted = try smtp.accepted()
        #expect(accepted.flatMap(\.to).sorted() == reference.map(\.recipient).sorted(), "each reader once")
        #expect(Set(accepted.map(\.messageID)).count == 40)
        let files = try smtp.messageFiles().map { try Data(contentsOf: $0) }
        for message in reference {
            let copies = files.filter { $0.range(of: Data("Message-ID: <\(message.messageID)>".utf8)) != nil }
            #expect(copies.count == 1, "\(message.recipient)")
            #expect(copies.first.map { $0.range(of: message.data) != nil } == true, "\(message.recipient): other bytes than one worker's")

        }
        #expect(try environment.database.deliveries().count == 40)
        #expect(try environment.database.deliveries().allSatisfy { $0.status == .sent })
    }

    /// A server that goes away after accepting a message: the rest are deferred for this run's
    /// retry only while their bytes stay under `deferredByteLimit`; past it they fail at once
    /// (their ledger rows wait for the next run) rather than every message being held in memory.
    @Test(arguments: [(64 << 20, 79), (1, 40)]) func deferredMessagesHeldForARetryAreBounded(limit: Int, attempts: Int) async throws {
        actor GoneAfterOne: MailTransport {
            private(set) var attempts = 0
            func deliver(_ message: OutgoingMessage) async throws {
                attempts += 1
                if attempts > 1 { throw MailTransportError.connection(server: "smtp://127.0.0.1:9", reason: "connection reset") }
            }
        }
        let folder = try TemporaryDirectory("gazette-deferred")
        defer { folder.remove() }
        let transport = GoneAfterOne()
        let (config, environment) = try await Self.environment(in: folder, transport: transport)
        var delivery = DigestDelivery(timeZone: config.timeZone, retryDelays: [.milliseconds(1)])
        delivery.workers = 1
        delivery.deferredByteLimit = limit
        let results = try await delivery.run(list: try config.list(named: "daily"), edition: "e1", environment: environment)
        // 40 tries, and a retry of each of the 39 deferred ones only when they could be held.
        #expect(await transport.attempts == attempts)
        #expect(results.filter { if case .sent = $0.outcome { true } else { false } }.count == 1)
        #expect(results.filter { if case .failed(let reason) = $0.outcome { reason.contains("connection reset") } else { false } }.count == 39)
        let statuses = try environment.database.deliveries().map(\.status)
        #expect(statuses.filter { $0 == .failed }.count == 39)
    }

    @Test func workersFollowTheCoresAndTheConnections() {
        #expect(DigestDelivery.renderers(connections: 4, cores: 2) == 2)
        #expect(DigestDelivery.renderers(connections: 1, cores: 8) == 1)
        #expect(DigestDelivery.renderers(connections: 16, cores: 32) == 4)
        #expect(DigestDelivery.renderers(connections: 4, cores: 1) == 1)
    }
}
