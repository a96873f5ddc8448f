import Foundation
import GazetteApp
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `gazette serve`: the readers' front door beside the CLI, over the same use cases.
///
/// One-click unsubscribe (RFC 8058), the preferences page, double opt-in confirmation, the
/// optional public sign-up form and the archive with its Atom feeds. Every change is a POST
/// carrying a signed token (or, for sign-up, only ever makes a pending subscriber); a GET
/// changes nothing, since mail scanners follow links. It reads and writes only through the
/// store, whose WAL lets `gazette run` write at the same time.
public struct WebServer: Sendable {
    public var config: GazetteConfig
    public var environment: AppEnvironment
    /// The access log and the server's own messages.
    public var logger: Logger

    public init(config: GazetteConfig, environment: AppEnvironment, logger: Logger) {
        self.config = config
        self.environment = environment
        self.logger = logger
    }

    /// Serves on `host`:`port` until SIGTERM or SIGINT (finishing the requests in flight) or
    /// until the task is cancelled. `onListening` hears the port, useful when `port` is 0.
    public func run(host: String, port: Int, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = Router(context: WebContext.self)
        router.add(middleware: AccessLog(logger: logger))
        let routes = WebRoutes(
            config: config, environment: environment,
            limiter: SignUpLimiter(perHour: config.web?.subscribesPerHour ?? 5))
        routes.register(on: router)
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "Gazette"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger)
        try await application.runService()
    }
}
