import FeedFetching
import Foundation
import GazetteStore
import Logging
import Mailing

/// The outside world, as the use cases see it. The CLI builds the live one; tests build one
/// with a temporary database, a loopback server and a fixed clock.
public struct AppEnvironment: Sendable {
    public var database: AppDatabase
    public var http: any HTTPClient
    public var transport: any MailTransport
    public var templates: DigestTemplates
    /// The clock; every timestamp Gazette writes comes from here.
    public var now: @Sendable () -> Date
    /// Random identifiers for Message-IDs and MIME boundaries.
    public var makeToken: @Sendable () -> String
    public var logger: Logger
    /// Signs the tokens in unsubscribe and preference links.
    public var signingKey: SigningKey
    /// Told how fetching and sending advance; a terminal's progress bar listens, nothing else does.
    public var progress: @Sendable (ProgressUpdate) -> Void
    /// Told each moment of a delivery as it passes (`DeliveryCheckpoint`); only crash tests listen.
    public var checkpoint: @Sendable (DeliveryCheckpoint) -> Void

    public init(
        database: AppDatabase, http: any HTTPClient, transport: any MailTransport, templates: DigestTemplates,
        now: @escaping @Sendable () -> Date = { Date() },
        makeToken: @escaping @Sendable () -> String = { AppEnvironment.randomToken() },
        logger: Logger = Logger(label: "gazette", factory: { _ in SwiftLogNoOpLogHandler() }),
        signingKey: SigningKey = SigningKey(secret: Data(AppEnvironment.randomToken().utf8)),
        progress: @escaping @Sendable (ProgressUpdate) -> Void = { _ in },
        checkpoint: @escaping @Sendable (DeliveryCheckpoint) -> Void = { _ in }
    ) {
        self.checkpoint = checkpoint
        self.signingKey = signingKey
        self.progress = progress
        self.database = database
        self.http = http
        self.transport = transport
        self.templates = templates
        self.now = now
        self.makeToken = makeToken
        self.logger = logger
    }

    /// 64 random bits as 16 hex digits: with the edition and list beside it in a Message-ID,
    /// unique in practice, and short enough to keep the header on one 78-column line.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return hex(UInt64.random(in: .min ... .max, using: &generator))
    }

    /// `value` as 16 lowercase hex digits, `String(format: "%016llx")`'s text without going
    /// through Foundation's format parser (one Message-ID per message sent).
    static func hex(_ value: UInt64) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<16 { bytes[index] = digits[Int(value >> (60 - 4 * UInt64(index)) & 0xF)] }
        return String(decoding: bytes, as: UTF8.self)
    }
}
