import ArgumentParser
import FeedFetching
import FeedParsing
import Foundation
import GazetteApp
import GazetteModel
import GazetteStore

extension GazetteCommand {
    struct Sources: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sources",
            abstract: "List the sources with their health, or add one.",
            subcommands: [List.self, Add.self],
            defaultSubcommand: List.self)
    }
}

extension GazetteCommand.Sources {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Each source's health: last success, last answer, failures in a row, 304s, last error.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global, access: .existing)
                try environment.database.syncSources(config.sources)
                let health = try environment.database.sourceHealth()
                let rows = health.map { source -> [String] in
                    [
                        source.source.name,
                        source.lastSuccessAt.map { $0.formatted(.iso8601) } ?? "never",
                        source.lastStatus.map(String.init) ?? "-",
                        String(source.consecutiveFailures),
                        String(source.notModifiedCount),
                        source.nextFetchAt.map { $0 > environment.now() ? $0.formatted(.iso8601) : "-" } ?? "-",
                        source.lastError ?? "",
                    ]
                }
                print(Table.render(
                    header: ["SOURCE", "LAST SUCCESS", "STATUS", "FAILURES", "304s", "NOT BEFORE", "LAST ERROR"], rows: rows))
                for source in health where source.movedTo != nil {
                    print("\(source.source.name) moved permanently to \(source.movedTo!); update its feed in \(config.file)")
                }
                let failing = health.filter { $0.consecutiveFailures >= config.failingThreshold }
                for source in failing {
                    GazetteExit.printError("\(source.source.name) has failed \(source.consecutiveFailures) times in a row: \(source.lastError ?? "")")
                }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Find the feeds of a site (or take a feed address) and add one to the config.",
            discussion: """
                Given a site's address, finds the feeds it announces (<link rel="alternate">) and \
                offers them; given a feed's address, offers that. With one candidate, or --pick, \
                the source is appended to the config file. Its existing articles are recorded \
                as seen on the first fetch, except the newest --backfill of them.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "A site's or a feed's http(s) address.") var address: String
        @Option(help: "The source's name (default: from the host, e.g. \"israelhayom\").") var name: String?
        @Option(help: "Which of several offered feeds to add (1, 2, …).") var pick: Int?
        @Option(help: "On the first fetch, how many of the newest items count as news.") var backfill = 0
        @Flag(help: "Only show what would be added.") var dryRun = false

        func validate() throws {
            guard address.hasPrefix("http://") || address.hasPrefix("https://") else {
                throw ValidationError("'\(address)' is not an http(s) address")
            }
            guard backfill >= 0 else { throw ValidationError("--backfill must be 0 or more") }
        }

        func run() async throws {
            try await GazetteExit.reporting {
                let config = try ConfigLoader.load(path: global.configPath, environment: ProcessInfo.processInfo.environment)
                let candidates = try await SourceDiscovery(http: CurlHTTPClient()).candidates(for: address)
                guard !candidates.isEmpty else {
                    throw CLIError("found no feed at \(address): the page announces none and none of the usual addresses answer")
                }
                for (index, feed) in candidates.enumerated() {
                    print("\(index + 1). \(feed.url)  (\(feed.kind)\(feed.title.map { ": \($0)" } ?? ""))")
                }
                let chosen: DiscoveredFeed
                if let pick {
                    guard candidates.indices.contains(pick - 1) else { throw CLIError("--pick \(pick): choose 1 to \(candidates.count)") }
                    chosen = candidates[pick - 1]
                } else if candidates.count == 1 {
                    chosen = candidates[0]
                } else {
                    print("Several feeds found; add one with --pick N.")
                    return
                }
                let sourceName = name ?? SourceDiscovery.suggestedName(for: chosen.url, taken: Set(config.sources.map(\.name)))
                if dryRun {
                    print("Would add to \(config.file):")
                    print(ConfigEditor.sourceBlock(name: sourceName, feed: chosen.url, backfill: backfill))
                    return
                }
                _ = try ConfigEditor.appendSource(name: sourceName, feed: chosen.url, backfill: backfill, toConfigAt: config.file)
                print("added source '\(sourceName)' (\(chosen.url)) to \(config.file); the next run fetches it")
            }
        }
    }
}

/// Columns aligned for people: each as wide as its widest cell.
enum Table {
    /// Cells are escaped (`TerminalText`): stored text never breaks a row or reaches the terminal raw.
    static func render(header: [String], rows: [[String]]) -> String {
        let all = ([header] + rows).map { $0.map { TerminalText.escaped($0.replacingOccurrences(of: "\t", with: " ")) } }
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
