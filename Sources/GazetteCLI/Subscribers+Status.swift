import ArgumentParser
import Foundation
import GazetteApp
import GazetteModel
import GazetteStore

extension GazetteCommand.Subscribers {
    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pause", abstract: "Stop mailing an active subscriber for now; `resume` undoes it.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The subscriber's email address.") var email: String

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global)
                let subscriber = try SubscriberAdmin(config: config).pause(email: email, environment: environment)
                print("\(subscriber.email) is paused")
            }
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "resume", abstract: "Mail a paused subscriber again.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The subscriber's email address.") var email: String

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global)
                let subscriber = try SubscriberAdmin(config: config).resume(email: email, environment: environment)
                print("\(subscriber.email) is active")
            }
        }
    }

    struct Unsubscribe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unsubscribe",
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

    struct Resubscribe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resubscribe",
            abstract: "Mail an unsubscribed, bounced or paused address again: only with the person's consent.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The subscriber's email address.") var email: String
        @Option(name: .long, help: "Also join this list.") var list: String?

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global)
                let subscriber = try SubscriberAdmin(config: config).resubscribe(email: email, listName: list, environment: environment)
                print("\(subscriber.email) is active again")
            }
        }
    }

    struct Confirm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "confirm",
            abstract: "Confirm a pending (double opt-in) subscriber with the token from their confirmation mail.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The token (c1.…) from the confirmation mail or the reader's reply.") var token: String

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global)
                let (subscriber, changed) = try SubscriberAdmin(config: config).confirm(token: token, environment: environment)
                print(changed ? "\(subscriber.email) is confirmed and active" : "\(subscriber.email) was already confirmed")
            }
        }
    }
}
