import ArgumentParser
import Foundation
import GazetteApp
import GazetteModel
import GazetteStore

#if canImport(Glibc)
import Glibc
#endif

extension GazetteCommand {
    struct Subscribers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "subscribers",
            abstract: "Manage subscribers.",
            discussion: """
                Statuses: active (mailed), paused, pending (double opt-in, not yet confirmed), \
                unsubscribed, bounced. Unsubscribed and bounced addresses stay so: no add, import \
                or resume mails them again, only `resubscribe` or --resubscribe.
                """,
            subcommands: [
                Add.self, Remove.self, Show.self, List.self, Update.self, Pause.self, Resume.self, Unsubscribe.self,
                Resubscribe.self, Follow.self, Unfollow.self, Confirm.self, Import.self, Export.self,
            ])
    }
}

extension GazetteCommand.Subscribers {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a subscriber to one or more lists.",
            discussion: "On a list with double_opt_in the subscriber is pending until they confirm the mail sent to them.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The subscriber's email address.") var email: String
        @Option(name: .long, help: "The subscriber's name.") var name: String?
        @Option(name: .long, help: "A list to join (repeatable; default: every list).") var list: [String] = []
        @Option(name: .long, help: "Sections to follow, ';'-separated (\"News > Middle East;Opinions\").") var sections: String?
        @Option(name: .long, help: "Tags to follow, ';'-separated (\"Turkey;ISF\").") var tags: String?
        @Option(name: .long, help: "Sections never to get, ';'-separated; a mute wins over a follow.") var muteSections: String?
        @Option(name: .long, help: "Tags never to get, ';'-separated.") var muteTags: String?
        @Flag(name: .long, help: "Mail an address that unsubscribed or bounced again: only with the person's consent.")
        var resubscribe = false

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global)
                let request = NewSubscriber(
                    email: email, name: name, lists: list,
                    sections: split(sections).map(SectionPath.init(parsing:)), tags: split(tags),
                    mutedSections: split(muteSections).map(SectionPath.init(parsing:)), mutedTags: split(muteTags))
                let result = try await SubscriberAdmin(config: config).subscribe(request, resubscribe: resubscribe, environment: environment)
                if let list = result.confirmationList {
                    print("added \(result.subscriber.email) as pending; a confirmation mail for '\(list)' went out "
                        + "(they are mailed nothing else until `gazette subscribers confirm TOKEN`)")
                } else {
                    print("added \(result.subscriber.email)")
                }
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a subscriber: their address and name are forgotten, their delivery history kept.",
            discussion: """
                The history stays as anonymous rows (which digest went out when) unless --erase, \
                for a request to delete everything. An address that had unsubscribed or bounced is \
                remembered as a hash, so a later import does not mail it again. Asks first on a \
                terminal; elsewhere it needs --yes.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The subscriber's email address.") var email: String
        @Flag(name: .long, help: "Also delete their delivery history (a GDPR-style erasure).") var erase = false
        @Flag(name: .shortAndLong, help: "Do not ask for confirmation.") var yes = false

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global)
                let admin = SubscriberAdmin(config: config)
                let (subscriber, _, history) = try admin.show(email: email, environment: environment)
                if !yes {
                    guard isatty(STDIN_FILENO) != 0 else {
                        throw CLIError(
                            "not removing \(subscriber.email) without confirmation: standard input is not a terminal; pass --yes",
                            exitCode: GazetteExit.usage)
                    }
                    let kept = erase ? "and their \(history.sent + history.failed) deliveries erased" : "their \(history.sent + history.failed) deliveries kept anonymously"
                    print("Remove \(subscriber.email) (\(subscriber.status.rawValue)), \(kept)? [y/N] ", terminator: "")
                    fflush(nil)
                    guard let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased(), ["y", "yes"].contains(answer) else {
                        throw CLIError("nothing removed")
                    }
                }
                switch try admin.remove(email: subscriber.email, erase: erase, environment: environment) {
                case .deleted:
                    print("removed \(subscriber.email)" + (erase ? " and erased their history" : ""))
                case .tombstone(let kept):
                    print("removed \(subscriber.email)" + (erase ? " and erased their history" : "; \(kept) deliveries kept without the address")
                        + (subscriber.status.isSticky ? "; the address stays blocked from imports (it was \(subscriber.status.rawValue))" : ""))
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show one subscriber: status, lists, what they follow, deliveries.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The subscriber's email address.") var email: String
        @Flag(name: .long, help: "One JSON object, for scripts.") var json = false

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global, access: .read)
                let (subscriber, subscriptions, history) = try SubscriberAdmin(config: config).show(email: email, environment: environment)
                let returned = try subscriber.id.map { try environment.database.returnedMail(subscriberID: $0) } ?? []
                if json {
                    var output = SubscriberOutput.SubscriberJSON(subscriber, subscriptions, history: history)
                    output.returnedMail = returned
                    print(try SubscriberOutput.json(output, pretty: true))
                    return
                }
                var rows: [[String]] = [
                    ["email", subscriber.email],
                    ["name", subscriber.name ?? "-"],
                    ["status", subscriber.status.rawValue + (subscriber.statusChangedAt.map { " since " + $0.formatted(.iso8601) } ?? "")],
                    ["added", subscriber.createdAt.formatted(.iso8601)],
                ]
                for subscription in subscriptions {
                    rows.append(["list", SubscriberOutput.memberships([subscription]) + (subscription.followsWholeList ? " (whole list)" : "")])
                }
                rows.append(["deliveries", "\(history.sent) sent, \(history.failed) failed"
                    + (history.lastSentAt.map { ", last " + $0.formatted(.iso8601) } ?? "")])
                for entry in returned {
                    rows.append(["returned", SubscriberOutput.returnedMail(entry)])
                }
                print(rows.map { SubscriberOutput.cell($0[0], 10) + "  " + TerminalText.escaped($0[1]) }.joined(separator: "\n"))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List subscribers and what they follow, with counts.",
            discussion: "Rows stream from the database: a million subscribers list in the memory of a few.")

        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "Only this list's subscribers.") var list: String?
        @Option(name: .long, help: "Only subscribers with this status (active, paused, pending, unsubscribed, bounced).")
        var status: String?
        @Flag(name: .long, help: "A JSON array of subscriber objects, for scripts.") var json = false

        func validate() throws {
            if let status, SubscriberStatus(rawValue: status) == nil {
                throw ValidationError("--status takes \(SubscriberStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global, access: .read)
                if let list { _ = try config.list(named: list) }
                let filter = AppDatabase.SubscriberFilter(listName: list, status: status.flatMap(SubscriberStatus.init(rawValue:)))
                let admin = SubscriberAdmin(config: config)
                let out = BufferedOutput()
                if json {
                    var first = true
                    out.write("[")
                    try admin.forEach(filter, environment: environment) { subscriber, subscriptions in
                        out.write((first ? "\n" : ",\n") + (try SubscriberOutput.json(SubscriberOutput.SubscriberJSON(subscriber, subscriptions))))
                        first = false
                    }
                    out.write(first ? "]\n" : "\n]\n")
                    out.flush()
                    return
                }
                let size = try environment.database.subscriberListingSize(filter)
                guard size.count > 0 else {
                    print("no subscribers" + (list.map { " in \($0)" } ?? "") + (status.map { " with status \($0)" } ?? ""))
                    return
                }
                let emailWidth = max(size.emailWidth, 5)
                let nameWidth = min(max(size.nameWidth, 4), 30)
                let line = { (email: String, name: String, status: String, lists: String) in
                    SubscriberOutput.cell(email, emailWidth) + "  " + SubscriberOutput.cell(name, nameWidth) + "  "
                        + SubscriberOutput.cell(status, 12) + "  " + TerminalText.escaped(lists) + "\n"
                }
                out.write(line("EMAIL", "NAME", "STATUS", "LISTS"))
                try admin.forEach(filter, environment: environment) { subscriber, subscriptions in
                    out.write(line(subscriber.email, subscriber.name ?? "-", subscriber.status.rawValue, SubscriberOutput.memberships(subscriptions)))
                }
                out.write("\n" + SubscriberOutput.counts(try environment.database.subscriberCounts(filter)) + "\n")
                out.flush()
            }
        }
    }
}

/// "a; b;c" → ["a", "b", "c"].
func split(_ text: String?) -> [String] {
    (text ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
