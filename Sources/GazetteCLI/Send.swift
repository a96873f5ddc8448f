import ArgumentParser
import GazetteApp

extension GazetteCommand {
    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "send",
            abstract: "Build and send each list's digests from the stored articles, without fetching.",
            discussion: """
                Deliveries that failed temporarily are retried on every send and run. Refusals \
                (5xx) are only tried again with --resend-failed. A digest that an interrupted run \
                had handed to the server whole, without reading its answer, counts as delivered \
                and is only sent again with --resend-unconfirmed (its readers may then see it twice).
                """)

        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "Send only this list.")
        var list: String?

        @Flag(name: .long, help: "Also retry the digests the server refused for good.")
        var resendFailed = false

        @Flag(name: .long, help: "Also send again the digests an interrupted run left unconfirmed.")
        var resendUnconfirmed = false

        func run() async throws {
            try await GazetteExit.reporting {
                let progress = TerminalProgress.forStandardError(global)
                defer { progress?.finish() }
                let (config, environment) = try LiveEnvironment.make(global, lock: "send", progress: progress)
                let report = try await DailyRun(config: config, listName: list, fetchFirst: false, resendRejected: resendFailed,
                    resendUnconfirmed: resendUnconfirmed)
                    .run(environment: environment)
                progress?.finish()
                try RunOutput.finish(report)
            }
        }
    }
}
