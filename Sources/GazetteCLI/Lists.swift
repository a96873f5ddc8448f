import ArgumentParser
import Foundation
import GazetteApp
import GazetteModel
import GazetteStore

extension GazetteCommand {
    struct Lists: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lists",
            abstract: "Manage lists: those in gazette.toml and those added here.",
            discussion: """
                Lists declared in gazette.toml are edited there; `lists add` stores others in the \
                database. A name in both uses the config's definition, and every command warns \
                while the two differ.
                """,
            subcommands: [Add.self, Remove.self, List.self, Show.self])
    }
}

extension GazetteCommand.Lists {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a list to the database.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "A short name used on the command line (\"weekly-opinion\").") var name: String
        @Option(name: .long, help: "The title shown in the subject and the mail.") var title: String
        @Option(name: .long, help: "The From address.") var senderAddress: String
        @Option(name: .long, help: "The From name (default: the title).") var senderName: String?
        @Option(name: .long, help: "\"daily 07:00\", \"weekly monday 07:00\" or \"cron 0 7 * * 1-5\".") var schedule = "daily 07:00"
        @Option(name: .long, help: "Preset sections for subscribers who choose none, ';'-separated.") var sections: String?
        @Option(name: .long, help: "Preset tags, ';'-separated.") var tags: String?
        @Option(name: .long, help: "Sections nobody on the list gets, ';'-separated.") var muteSections: String?
        @Option(name: .long, help: "Tags nobody on the list gets, ';'-separated.") var muteTags: String?
        @Flag(name: .long, help: "New subscribers stay pending until they confirm a mailed token.") var doubleOptIn = false
        @Option(name: .long, help: "An https URL with {token} that confirms a subscription.") var confirmURL: String?

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment, catalog) = try LiveEnvironment.makeWithCatalog(global)
                var rules = DigestRules()
                rules.presetSections = split(sections).map(SectionPath.init(parsing:))
                rules.presetTags = split(tags)
                rules.mutedSections = split(muteSections).map(SectionPath.init(parsing:))
                rules.mutedTags = split(muteTags)
                var list = SubscriberList(
                    name: name, title: title, senderName: senderName ?? title, senderAddress: senderAddress, schedule: schedule,
                    rules: rules)
                list.doubleOptIn = doubleOptIn
                list.confirmURLTemplate = confirmURL
                try ListAdmin(config: config, catalog: catalog).add(list, environment: environment)
                print("added the list \(name)")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a list added with `lists add`, once nobody is on it.",
            discussion: "A list in gazette.toml is removed there. The database copy of a list the config also declares can always be removed.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The list's name.") var name: String

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment, catalog) = try LiveEnvironment.makeWithCatalog(global)
                try ListAdmin(config: config, catalog: catalog).remove(name: name, environment: environment)
                print("removed the list \(name)")
            }
        }
    }

    /// One list for `--json`.
    struct ListJSON: Encodable {
        var name: String
        var title: String
        var senderName: String
        var senderAddress: String
        var schedule: String
        var source: String
        var doubleOptIn: Bool
        var sections: [String]
        var tags: [String]
        var members: [String: Int]
        var total: Int

        init(_ summary: ListAdmin.Summary) {
            let list = summary.list
            name = list.name
            title = list.title
            senderName = list.senderName
            senderAddress = list.senderAddress
            schedule = list.schedule
            source = summary.origin?.rawValue ?? "undefined"
            doubleOptIn = list.doubleOptIn
            sections = list.rules.presetSections.map(\.description)
            tags = list.rules.presetTags
            members = Dictionary(uniqueKeysWithValues: summary.members.map { ($0.key.rawValue, $0.value) })
            total = summary.total
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List every list with where it is defined and who is on it.")

        @OptionGroup var global: GlobalOptions
        @Flag(name: .long, help: "A JSON array, for scripts.") var json = false

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment, catalog) = try LiveEnvironment.makeWithCatalog(global, access: .read)
                let (summaries, warnings) = try ListAdmin(config: config, catalog: catalog).summaries(environment: environment)
                // The catalog's own warnings were printed when the environment was made.
                for warning in warnings.dropFirst(catalog.warnings.count) { GazetteExit.printError("warning: " + warning) }
                if json {
                    print(try SubscriberOutput.json(summaries.map(ListJSON.init), pretty: true))
                    return
                }
                guard !summaries.isEmpty else {
                    print("no lists; declare one in \(config.file) or run `gazette lists add`")
                    return
                }
                let rows = summaries.map { summary -> [String] in
                    [
                        summary.list.name, summary.list.title, summary.origin.map(Self.source) ?? "undefined", summary.list.schedule,
                        summary.list.doubleOptIn ? "yes" : "no", String(summary.members[.active] ?? 0), String(summary.total),
                    ]
                }
                print(Table.render(header: ["NAME", "TITLE", "DEFINED IN", "SCHEDULE", "OPT-IN", "ACTIVE", "MEMBERS"], rows: rows))
                print("\n\(summaries.count) list\(summaries.count == 1 ? "" : "s")")
            }
        }

        static func source(_ origin: ListCatalog.Origin) -> String {
            switch origin {
            case .config: "config"
            case .database: "database"
            case .both: "config (+database copy)"
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show one list: its definition and its members by status.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The list's name.") var name: String
        @Flag(name: .long, help: "One JSON object, for scripts.") var json = false

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment, catalog) = try LiveEnvironment.makeWithCatalog(global, access: .read)
                let summary = try ListAdmin(config: config, catalog: catalog).show(name: name, environment: environment)
                if json {
                    print(try SubscriberOutput.json(ListJSON(summary), pretty: true))
                    return
                }
                let list = summary.list
                let presets = list.rules.presetSections.map(\.description) + list.rules.presetTags.map { "#" + $0 }
                let rows: [[String]] = [
                    ["name", list.name],
                    ["title", list.title],
                    ["sender", "\(list.senderName) <\(list.senderAddress)>"],
                    ["schedule", list.schedule],
                    ["defined in", summary.origin.map(List.source) ?? "undefined"],
                    ["opt-in", list.doubleOptIn ? "double (pending until confirmed)" : "single"],
                    ["presets", presets.isEmpty ? "the whole list" : presets.joined(separator: ", ")],
                    ["members", SubscriberOutput.counts(summary.members)],
                ]
                print(rows.map { SubscriberOutput.cell($0[0], 10) + "  " + TerminalText.escaped($0[1]) }.joined(separator: "\n"))
            }
        }
    }
}
