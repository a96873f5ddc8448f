import ArgumentParser
import Foundation
import GazetteApp
import GazetteModel
import GazetteStore

extension GazetteCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Fetch every source, then build and send each list's digests (what cron runs).")

        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "Send only this list.")
        var list: String?

        @Flag(name: .long, help: "Fetch, build and render, but send nothing and change nothing in the database.")
        var dryRun = false

        @Flag(name: .long, help: "Send a new edition now, whatever the lists' schedules say.")
        var force = false

        func run() async throws {
            try await GazetteExit.reporting {
                let progress = TerminalProgress.forStandardError(global)
                defer { progress?.finish() }
                let (config, environment) = try LiveEnvironment.make(global, lock: dryRun ? nil : "run", dryRun: dryRun, progress: progress)
                try Self.checkSomethingToDo(config)
                // Returned mail first, so an address that bounced or complained gets no digest today.
                let returned = try config.returnedMail.maildir.map { maildir in
                    try ReturnedMailHandling(settings: config.returnedMail).handle([.maildir(maildir)], dryRun: dryRun, environment: environment)
                }
                var report = try await DailyRun(config: config, listName: list, force: force).run(environment: environment)
                report.dryRun = dryRun
                progress?.finish()
                if let returned {
                    for line in returned.unreadable { GazetteExit.printError("skipped " + line) }
                    print(returned.line)
                }
                if dryRun { print("dry run: nothing was sent and the database is unchanged") }
                try RunOutput.finish(report)
                if returned?.unreadable.isEmpty == false { throw GazetteExit.partialFailure }
            }
        }
    }
}

extension GazetteCommand.Run {
    /// A run with nothing to fetch or nobody to mail is a config mistake, not a quiet success.
    static func checkSomethingToDo(_ config: GazetteConfig) throws {
        if config.sources.isEmpty {
            let why = config.disabledSources.isEmpty ? "has no [[sources]]" : "has every source disabled"
            throw CLIError(
                "config: \(config.file) \(why), so a run has nothing to fetch; add one with `gazette sources add URL`",
                exitCode: GazetteExit.badConfig)
        }
        if config.lists.isEmpty {
            throw CLIError(
                "config: \(config.file) has no [[lists]] and the database none, so a run has nobody to mail; add one to the config or with `gazette lists add`",
                exitCode: GazetteExit.badConfig)
        }
    }
}

/// What `run` and `send` print when they finish, and the exit code they end with.
enum RunOutput {
    static func finish(_ report: RunReport) throws {
        for failure in report.failedSources {
            if case .failed(let reason) = failure.outcome { GazetteExit.printError(reason) }
        }
        for failure in report.failedDeliveries {
            switch failure.outcome {
            case .failed(let reason), .rejected(let reason), .notAttempted(let reason):
                GazetteExit.printError("\(failure.list) → \(failure.email): \(reason)")
            default: break
            }
        }
        print(report.summary)
        for line in report.heldBack { print(line) }
        for source in report.failingSources {
            let since = source.lastSuccessAt.map { "since \($0.formatted(.iso8601))" } ?? "and never worked"
            GazetteExit.printError(
                "\(source.source.name) has failed \(source.consecutiveFailures) runs in a row \(since); see `gazette sources`")
        }
        switch report.operatorReport {
        case .sent(let address, let sources)?: print("operator report sent to \(address): \(sources.joined(separator: ", "))")
        case .failed(let reason)?: GazetteExit.printError("the operator report was not sent (the next run tries again): \(reason)")
        case .notDue?, nil: break
        }
        if report.failedCompletely { throw GazetteExit.runFailed }
        if report.hasFailures { throw GazetteExit.partialFailure }
    }
}
