import ArgumentParser
import Foundation
import GazetteApp
import GazetteStore

extension GazetteCommand {
    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "send",
            abstract: "Build and send each list's digests from the stored articles, without fetching.",
            discussion: """
                Deliveries that failed temporarily, and those an interrupted run left unanswered, \
                are sent again on every send and run, as the same message. Refusals (5xx) are only \
                tried again with --resend-failed.
                --to EMAIL mails one test digest to any address (yours), as --as SUBSCRIBER would \
                get it now, or as a reader following everything: outside the ledger, "[test]" in \
                the subject, with links that unsubscribe nobody. --subscriber EMAIL sends that \
                subscriber's digest of the current edition now, through the ledger (once).
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

        @Option(name: .long, help: ArgumentHelp("Mail one test digest to this address, outside the ledger.", valueName: "email"))
        var to: String?

        @Option(name: .customLong("as"), help: ArgumentHelp("With --to: the subscriber whose digest to show.", valueName: "email"))
        var asSubscriber: String?

        @Option(name: .long, help: ArgumentHelp("Send only this subscriber's digest of the current edition.", valueName: "email"))
        var subscriber: String?

        func validate() throws {
            if asSubscriber != nil, to == nil { throw ValidationError("--as goes with --to (a test send)") }
            if to != nil, subscriber != nil || resendFailed {
                throw ValidationError("--to is a test send outside the ledger; it does not go with --subscriber or --resend-failed")
            }
        }

        func run() async throws {
            try await GazetteExit.reporting {
                if resendUnconfirmed {
                    GazetteExit.printError(
                        "note: --resend-unconfirmed is no longer needed and does nothing: "
                            + "every digest an interrupted run left unanswered is sent again on the next run")
                }
                if let to {
                    let (config, environment) = try LiveEnvironment.make(global)
                    let sent = try await TestSend(config: config).run(to: to, asSubscriber: asSubscriber, listName: list, environment: environment)
                    print("test digest sent to \(to): \"\(sent.subject)\", \(sent.articles) article(s), \(sent.messageID); nothing recorded")
                    return
                }
                let progress = TerminalProgress.forStandardError(global)
                defer { progress?.finish() }
                let (config, environment) = try LiveEnvironment.make(global, lock: "send", progress: progress)
                if let subscriber, try environment.database.subscriber(email: subscriber) == nil {
                    throw AdminError.noSuchSubscriber(subscriber)
                }
                var run = DailyRun(config: config, listName: list, fetchFirst: false, resendRejected: resendFailed)
                run.onlySubscriber = subscriber
                let report = try await run.run(environment: environment)
                progress?.finish()
                try RunOutput.finish(report)
            }
        }
    }
}
