import ArgumentParser
import Foundation
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
            needs an explicit flag (--force to replace a file); 64 bad usage or an unknown command; \
            65 bad input (address, CSV, token, a field over its limit); 66 unreadable input file, a \
            folder where a file is written, or no database for a reading command; 67 no such subscriber or list; 75 another run holds the lock; 78 bad config.
            """,
        version: GazetteVersion.current,
        // `gazette help` groups the commands by what an editor is doing.
        groupedSubcommands: [
            CommandGroup(name: "The daily job", subcommands: [Run.self, Fetch.self, Send.self, Preview.self]),
            CommandGroup(name: "Readers", subcommands: [Subscribers.self, Lists.self, Bounces.self, Serve.self]),
            CommandGroup(name: "Sources", subcommands: [Sources.self]),
            CommandGroup(name: "Setting up and looking after", subcommands: [Init.self, Doctor.self, Backup.self, Prune.self]),
            CommandGroup(name: "What Gazette reads (diagnostics)", subcommands: [ParseFeed.self, Extract.self]),
        ]
    )

    public init() {}

    /// Accepts global options before the subcommand too (`GlobalOptions.hoisted`), refuses an
    /// unknown command word first (exit 64 with a guess), then runs as usual; `parse-feed`
    /// with many inputs is parsed without them and given them after (`settingAsideInputs`).
    public static func main() async {
        let arguments = GlobalOptions.hoisted(Array(CommandLine.arguments.dropFirst()))
        if let problem = UnknownCommand.problem(in: arguments) {
            GazetteExit.printError(problem)
            Self.exit(withError: GazetteExit.usage)
        }
        guard let (shortened, inputs) = ParseFeed.settingAsideInputs(of: arguments) else {
            await Self.main(arguments)
            return
        }
        do {
            guard var command = try await asyncParseAsRoot(shortened) as? ParseFeed else {
                await Self.main(arguments)  // not a plain parse-feed line after all: the parser's own way
                return
            }
            command.inputs = inputs
            try await command.run()
        } catch {
            Self.exit(withError: error)
        }
    }
}
