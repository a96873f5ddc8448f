import ArgumentParser
import Foundation
import GazetteApp
import GazetteWeb
import Logging

extension GazetteCommand {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve the readers' pages: one-click unsubscribe, preferences, confirmation, sign-up and the archive.",
            discussion: """
                Meant to run under systemd behind the site's https proxy, which forwards \
                [web] base_url here (README: "Readers' pages"). Logs one line per request to \
                stderr (one JSON object with --log-format json; tokens are never logged). \
                Stops cleanly on SIGTERM. Takes no lock: `gazette run` may write at the same time.
                """)

        @OptionGroup var global: GlobalOptions

        @Option(
            name: .long,
            help: ArgumentHelp("HOST:PORT to listen on (default: [web] listen, else 127.0.0.1:8080).", valueName: "address"))
        var listen: String?

        func validate() throws {
            if let listen, WebSettings.parseListen(listen) == nil {
                throw ValidationError("--listen takes HOST:PORT, such as 127.0.0.1:8080")
            }
        }

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global)
                if config.web == nil {
                    GazetteExit.printError(
                        "warning: [web] base_url is not set, so digests do not link here yet; see `gazette init`'s starter config"
                    )
                }
                let address = listen ?? config.web?.listen ?? WebSettings.defaultListen
                guard case let (host, port)? = WebSettings.parseListen(address) else {
                    throw CLIError("--listen takes HOST:PORT, such as 127.0.0.1:8080", exitCode: GazetteExit.usage)
                }
                let json = global.logFormat == "json"
                let logger = Logger(label: "gazette.web") { label in
                    if json { return JSONLogHandler(label: label, logLevel: .info) }
                    var handler = StreamLogHandler.standardError(label: label)
                    handler.logLevel = .info
                    return handler
                }
                try await WebServer(config: config, environment: environment, logger: logger).run(host: host, port: port)
            }
        }
    }
}
