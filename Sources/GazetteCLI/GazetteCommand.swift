import ArgumentParser
import GazetteApp
import GazetteModel

/// `gazette`: the root command. Each subcommand lives in its own file.
///
/// Every command names itself (`commandName`): otherwise ArgumentParser derives each name
/// from `String(describing:)` of its type at start-up, which demangles type names and looks
/// up protocol conformances, a tenth of a short command's run time in a static binary.
public struct GazetteCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "gazette",
        abstract: "Turn news sites into a daily email digest.",
        discussion: """
            Cron runs `gazette run` every morning: it fetches new articles, builds each \
            subscriber's digest and mails it (or writes it to the outbox folder).
            Exit codes: 0 all done; 1 the run could do nothing; 3 some sources, deliveries or \
            imported rows failed; 4 `gazette doctor` found a failing check; 5 it exists already or \
            needs an explicit flag; 64 bad usage; 65 bad input (address, CSV, token); 66 unreadable \
            input file; 67 no such subscriber or list; 75 another run holds the lock; 78 bad config.
            """,
        version: GazetteVersion.current,
        subcommands: [
            Run.self, Fetch.self, Send.self, Preview.self, Subscribers.self, Lists.self, Sources.self, Prune.self, Doctor.self,
            Init.self, Serve.self, ParseFeed.self, Extract.self, Backup.self,
        ]
    )

    public init() {}
}
