import ArgumentParser
import Foundation
import GazetteApp

extension GazetteCommand {
    struct Bounces: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bounces",
            abstract: "Read returned mail: bounces, complaints, unsubscribe replies and auto-replies.",
            discussion: """
                Each SOURCE is a Maildir folder, an mbox file, or - for one message on standard input \
                (for a Postfix pipe; see README, "Returned mail"). Hard bounces count toward \
                [delivery] bounce_limit (default here: one), soft ones only when they keep coming \
                ([bounces] soft_limit, soft_days); a complaint unsubscribes the address from every list. \
                Each decision shows in `gazette subscribers show`. Handled Maildir messages move to \
                cur/ flagged seen; a message read before is recognised by its Message-ID and not \
                counted again. Exit 3 when some messages could not be read.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Maildir folders, mbox files, or - for one message on standard input.") var sources: [String]
        @Flag(name: .long, help: "Classify and report, but change nothing: no database change, no file moved.") var dryRun = false
        @Flag(name: .long, help: "The summary and every decision as one JSON object.") var json = false

        func validate() throws {
            guard !sources.isEmpty else { throw ValidationError("name a Maildir folder, an mbox file, or - for standard input") }
            guard sources.filter({ $0 == "-" }).count <= 1 else { throw ValidationError("- (standard input) can be named once") }
        }

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global, lock: dryRun ? nil : "bounces", dryRun: dryRun)
                let summary = try ReturnedMailHandling(settings: config.returnedMail)
                    .handle(try sources.map(Self.source), dryRun: dryRun, environment: environment)
                try Self.report(summary, json: json, dryRun: dryRun)
            }
        }

        /// A SOURCE argument as a source: `-`, a Maildir (a folder with `new/` and `cur/`), or a file.
        static func source(_ argument: String) throws -> ReturnedMailHandling.Source {
            if argument == "-" {
                return .message(FileHandle.standardInput.readDataToEndOfFile(), name: "standard input")
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                throw CLIError("\(argument): no such Maildir folder or mbox file", exitCode: GazetteExit.noInput)
            }
            guard isDirectory.boolValue else { return .mbox(argument) }
            let new = URL(fileURLWithPath: argument).appendingPathComponent("new").path
            guard FileManager.default.fileExists(atPath: new) else {
                throw CLIError("\(argument) is a folder but not a Maildir (it has no new/ folder)", exitCode: GazetteExit.noInput)
            }
            return .maildir(argument)
        }

        /// Prints the summary (or JSON) and each unreadable message, then exits 3 if there were any.
        static func report(_ summary: ReturnedMailHandling.Summary, json: Bool, dryRun: Bool) throws {
            for line in summary.unreadable { GazetteExit.printError("skipped " + line) }
            if json {
                print(try SubscriberOutput.json(summary, pretty: true))
            } else {
                // What changed something, or a bounce, complaint or unsubscribe nobody matched.
                let quiet = ["auto-reply", "unknown"]
                for decision in summary.decisions
                where decision.action != "noted" && !(decision.action == "no-subscriber" && quiet.contains(decision.kind)) {
                    let who = decision.email ?? "nobody known"
                    print(
                        "\(decision.kind) \(who)\(decision.status.map { " " + $0 } ?? ""): \(decision.action)  (\(decision.message))"
                    )
                }
                print(summary.line)
                if dryRun { print("dry run: the database is unchanged and no message was moved") }
            }
            if !summary.unreadable.isEmpty { throw GazetteExit.partialFailure }
        }
    }
}
