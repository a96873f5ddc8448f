import ArgumentParser
import GazetteApp
import GazetteModel

/// `gazette`: the root command. Each subcommand lives in its own file.
public struct GazetteCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "gazette",
        abstract: "Turn news sites into a daily email digest.",
        discussion: """
            Cron runs `gazette run` every morning: it fetches new articles, builds each \
            subscriber's digest and mails it (or writes it to the outbox folder).
            Exit codes: 0 all done; 1 the run could do nothing; 3 some sources or deliveries \
            failed; 4 `gazette doctor` found a failing check; 64 bad usage; 75 another run holds the lock; 78 bad config.
            """,
        version: GazetteVersion.current,
        subcommands: [
            Run.self, Fetch.self, Send.self, Preview.self, Subscribers.self, Sources.self, Prune.self, Doctor.self, Init.self,
            ParseFeed.self, Extract.self, Backup.self,
        ]
    )

    public init() {}
}
