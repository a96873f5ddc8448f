import ArgumentParser
import Foundation
import GazetteApp
import GazetteModel
import Mailing

extension GazetteCommand {
    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the digest a subscriber would get now, without sending or recording anything.")

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, html, eml
        }

        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "The list (default: the config's first list).")
        var list: String?

        @Option(name: .long, help: "Whose digest; without it, the whole list over the last day.")
        var subscriber: String?

        @Option(name: .long, help: "text: the plain-text part; html: the HTML part; eml: the whole message.")
        var format: Format = .text

        @Flag(name: .long, help: "List why each candidate article was included, merged, capped, muted or left out.")
        var explain = false

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global)
                let result = try GazetteApp.Preview(config: config)
                    .run(listName: list, email: subscriber, explain: explain, environment: environment)
                if explain {
                    print(DecisionReport.render(result.digest))
                    return
                }
                switch format {
                case .eml:
                    FileHandle.standardOutput.write(result.eml)
                case .html:
                    print(result.rendered.html)
                case .text:
                    if result.digest.isEmpty {
                        print("Nothing new for \(result.digest.subscriber.email) in \(result.digest.list.name) since "
                            + "\(result.digest.window.start.formatted(.iso8601)).")
                        return
                    }
                    print("Subject: \(result.subject)")
                    print("To: \(result.digest.subscriber.email) · \(result.digest.articleCount) articles\n")
                    print(result.rendered.text)
                }
            }
        }
    }
}
