import ArgumentParser
import Foundation
import GazetteApp
import GazetteModel
import GazetteStore

extension GazetteCommand.Subscribers {
    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Change a subscriber's address, name, lists, or what they follow and mute.",
            discussion: """
                --sections, --tags, --mute-sections and --mute-tags replace what is there (\"\" clears \
                it) in every list of the subscriber's, or only in --in-list. Never changes the status.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The subscriber's email address.") var email: String
        @Option(name: .long, help: "A new address.") var newEmail: String?
        @Option(name: .long, help: "A new name (\"\" clears it).") var name: String?
        @Option(name: .long, help: "Join a list (repeatable), following what they follow elsewhere.") var join: [String] = []
        @Option(name: .long, help: "Leave a list (repeatable).") var leave: [String] = []
        @Option(name: .long, help: "Change preferences in this list only.") var inList: String?
        @Option(name: .long, help: "Sections to follow, ';'-separated.") var sections: String?
        @Option(name: .long, help: "Tags to follow, ';'-separated.") var tags: String?
        @Option(name: .long, help: "Sections to mute, ';'-separated.") var muteSections: String?
        @Option(name: .long, help: "Tags to mute, ';'-separated.") var muteTags: String?
        @Flag(name: .long, help: "Print the result as JSON.") var json = false

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global)
                var update = SubscriberAdmin.Update()
                update.email = newEmail
                update.name = name
                update.join = join
                update.leave = leave
                update.inList = inList
                update.sections = sections.map { split($0).map(SectionPath.init(parsing:)) }
                update.tags = tags.map { split($0) }
                update.mutedSections = muteSections.map { split($0).map(SectionPath.init(parsing:)) }
                update.mutedTags = muteTags.map { split($0) }
                let (subscriber, subscriptions) = try SubscriberAdmin(config: config).update(email: email, update, environment: environment)
                try printSubscriber(subscriber, subscriptions, json: json)
            }
        }
    }

    struct Follow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "follow",
            abstract: "Follow a section (\"News > Israel\") or a tag (\"#Turkey\" or \"tag:Turkey\").",
            discussion: """
                A subscriber who followed the whole list then gets only what they follow. A name \
                that no article of the last 30 days carries is refused with the closest one; \
                --anyway follows it all the same (a section that has not published yet).
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The subscriber's email address.") var email: String
        @Argument(help: "A section, or a tag written #Tag or tag:Tag.") var topic: String
        @Option(name: .long, help: "Only in this list (default: each of their lists).") var list: String?
        @Flag(help: "Follow it even if no recent article carries it.") var anyway = false

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global)
                let parsed = try SubscriberAdmin.Topic(parsing: topic)
                let result = try SubscriberAdmin(config: config).changeFollowing(
                    email: email, topic: parsed, follow: true, listName: list, anyway: anyway, environment: environment)
                print(
                    result.changedLists.isEmpty
                        ? "\(result.subscriber.email) already follows \(parsed); nothing changed"
                        : "\(result.subscriber.email) now follows \(parsed) in \(result.changedLists.joined(separator: ", "))")
                try printSubscriber(result.subscriber, result.subscriptions, json: false)
            }
        }
    }

    struct Unfollow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unfollow",
            abstract: "Stop following a section or a tag (#Tag); following nothing means the whole list.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The subscriber's email address.") var email: String
        @Argument(help: "A section, or a tag written #Tag or tag:Tag.") var topic: String
        @Option(name: .long, help: "Only in this list (default: each of their lists).") var list: String?

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global)
                let parsed = try SubscriberAdmin.Topic(parsing: topic)
                let result = try SubscriberAdmin(config: config).changeFollowing(
                    email: email, topic: parsed, follow: false, listName: list, environment: environment)
                print("\(result.subscriber.email) no longer follows \(parsed) in \(result.changedLists.joined(separator: ", "))")
                try printSubscriber(result.subscriber, result.subscriptions, json: false)
            }
        }
    }
}

/// "dana@x.org (active): daily (News > Israel, #Turkey)", or the JSON object.
func printSubscriber(_ subscriber: Subscriber, _ subscriptions: [Subscription], json: Bool) throws {
    if json {
        print(try SubscriberOutput.json(SubscriberOutput.SubscriberJSON(subscriber, subscriptions), pretty: true))
    } else {
        let lists = subscriptions.map { SubscriberOutput.memberships([$0]) + ($0.followsWholeList ? " (whole list)" : "") }
        print("\(subscriber.email) (\(subscriber.status.rawValue)): " + lists.joined(separator: "; "))
    }
}
