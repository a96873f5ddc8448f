import ArgumentParser
import Foundation
import GazetteApp
import GazetteModel
import GazetteStore

extension GazetteCommand {
    struct Subscribers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage subscribers.",
            subcommands: [Add.self, Remove.self, List.self, Import.self, Unsubscribe.self])
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
        @Option(name: .long, help: "Sections never to get, ';'-separated; a mute wins over a follow.") var muteSections: String?
        @Option(name: .long, help: "Tags never to get, ';'-separated.") var muteTags: String?

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global)
                let request = NewSubscriber(
                    email: email, name: name, lists: list,
                    sections: split(sections).map(SectionPath.init(parsing:)), tags: split(tags),
                    mutedSections: split(muteSections).map(SectionPath.init(parsing:)), mutedTags: split(muteTags))
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

extension GazetteCommand.Subscribers {
    struct Unsubscribe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Unsubscribe an address, or apply the token from an unsubscribe link or mail.",
            discussion: "Leaving the last list marks the address unsubscribed: no import or typo mails it again.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The subscriber's email address.") var email: String?
        @Option(name: .long, help: "The token from an unsubscribe link (…?token=T) or mail subject.") var token: String?
        @Option(name: .long, help: "Only this list (with an address; default: every list).") var list: String?

        func validate() throws {
            guard (email == nil) != (token == nil) else { throw ValidationError("give either an email address or --token") }
        }

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global)
                let admin = SubscriberAdmin(config: config)
                let results = try token.map { [try admin.unsubscribe(token: $0, environment: environment)] }
                    ?? admin.unsubscribe(email: email ?? "", listName: list, environment: environment)
                for result in results {
                    switch result {
                    case .leftList(let subscriber): print("\(subscriber.email) left the list; other lists continue")
                    case .unsubscribed(let subscriber): print("\(subscriber.email) is unsubscribed")
                    case .alreadyUnsubscribed(let subscriber): print("\(subscriber.email) was already unsubscribed")
                    }
                }
            }
        }
    }
}

/// "a; b;c" → ["a", "b", "c"].
private func split(_ text: String?) -> [String] {
    (text ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
