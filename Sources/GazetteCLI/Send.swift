import ArgumentParser
import GazetteApp

extension GazetteCommand {
    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "send",
            abstract: "Build and send each list's digests from the stored articles, without fetching.",
            discussion: """
                Deliveries that failed temporarily, and those an interrupted run left unanswered, \
                are sent again on every send and run, as the same message. Refusals (5xx) are only \
                tried again with --resend-failed.
                """)

        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "Send only this list.")
        var list: String?

        @Flag(name: .long, help: "Also retry the digests the server refused for good.")
        var resendFailed = false

        /// Kept so that scripts written for earlier versions still run: every interrupted
        /// delivery is now sent again without being asked (ADR 0004).
        @Flag(name: .long, help: .hidden)
        var resendUnconfirmed = false

        func run() async throws {
            try await GazetteExit.reporting {
                let progress = TerminalProgress.forStandardError(global)
                defer { progress?.finish() }
                if resendUnconfirmed {
                    GazetteExit.printError(
                        "note: --resend-unconfirmed is no longer needed and does nothing: "
                            + "every digest an interrupted run left unanswered is sent again on the next run")
                }
                let (config, environment) = try LiveEnvironment.make(global, lock: "send", progress: progress)
                let report = try await DailyRun(config: config, listName: list, fetchFirst: false, resendRejected: resendFailed)
                    .run(environment: environment)
                progress?.finish()
                try RunOutput.finish(report)
            }
        }
    }
}
