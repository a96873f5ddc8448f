import ArgumentParser
import Foundation
import GazetteApp
import GazetteModel

extension GazetteCommand {
    struct Subscribers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage subscribers.",
            subcommands: [Add.self, Remove.self, List.self, Import.self])
    }
}

extension GazetteCommand.Subscribers {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a subscriber to one or more lists.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The subscriber's email address.") var email: String
        @Option(name: .long, help: "The subscriber's name.") var name: String?
        @Option(name: .long, help: "A list to join (repeatable; default: every list).") var list: [String] = []
        @Option(name: .long, help: "Sections to follow, ';'-separated (\"News > Middle East;Opinions\").") var sections: String?
        @Option(name: .long, help: "Tags to follow, ';'-separated (\"Turkey;ISF\").") var tags: String?

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global)
                let request = NewSubscriber(
                    email: email, name: name, lists: list,
                    sections: split(sections).map(SectionPath.init(parsing:)), tags: split(tags))
                let added = try SubscriberAdmin(config: config).add(request, environment: environment)
                print("added \(added.email)")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a subscriber and their history.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The subscriber's email address.") var email: String

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global)
                try SubscriberAdmin(config: config).remove(email: email, environment: environment)
                print("removed \(email)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List subscribers and what they follow.")

        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "Only this list's subscribers.") var list: String?

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global)
                let rows = try SubscriberAdmin(config: config).list(listName: list, environment: environment)
                for (subscriber, subscriptions) in rows {
                    let lists = subscriptions.map { subscription in
                        let follows = subscription.sections.map(\.description) + subscription.tags.map { "#" + $0 }
                        return subscription.listName + (follows.isEmpty ? "" : " (" + follows.joined(separator: ", ") + ")")
                    }
                    print([subscriber.email, subscriber.name ?? "-", subscriber.status.rawValue, lists.joined(separator: "; ")]
                        .joined(separator: "\t"))
                }
                if rows.isEmpty { print("no subscribers") }
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add subscribers from a CSV file (columns: email, name, lists, sections, tags).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The CSV file.") var file: String
        @Option(name: .long, help: "The list for rows that name none (default: every list).") var list: String?

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global)
                let text: String
                do {
                    text = try String(contentsOfFile: file, encoding: .utf8)
                } catch {
                    throw CLIError("cannot read \(file) as UTF-8 text: \((error as NSError).localizedDescription)")
                }
                let report = try SubscriberAdmin(config: config).importCSV(text: text, defaultList: list, environment: environment)
                for problem in report.rejected { GazetteExit.printError("\(file): \(problem)") }
                print("\(file): \(report.added.count) added, \(report.alreadyPresent.count) already subscribed, "
                    + "\(report.rejected.count) rejected")
                if !report.rejected.isEmpty { throw GazetteExit.partialFailure }
            }
        }
    }
}

/// "a; b;c" → ["a", "b", "c"].
private func split(_ text: String?) -> [String] {
    (text ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
