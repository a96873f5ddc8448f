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
            abstract: "List the sources with their health; add, remove, disable or enable one; import or export OPML.",
            subcommands: [List.self, Add.self, Remove.self, Disable.self, Enable.self, Import.self, Export.self],
            defaultSubcommand: List.self)
    }
}

extension GazetteCommand.Sources {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Each source's health: last success, last answer, failures in a row, last error.",
            discussion: """
                Exits with 3 when a source has failed [report] after_failures runs in a row (default 3), \
                so a monitoring script can run it. Sources removed from the config but still in the \
                database, and disabled ones, are marked.
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(help: "One JSON object per source, one a line.") var json = false

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global, access: .existing)
                try environment.database.syncSources(config.sources + config.disabledSources)
                let health = try environment.database.sourceHealth()
                let enabled = Set(config.sources.map(\.name))
                let disabled = Set(config.disabledSources.map(\.name))
                func state(_ source: SourceHealth) -> String {
                    if disabled.contains(source.source.name) { return "disabled" }
                    if !enabled.contains(source.source.name) { return "removed" }
                    return source.consecutiveFailures >= config.failingThreshold ? "failing" : "ok"
                }
                if json {
                    for source in health { print(Self.json(source, state: state(source), now: environment.now()).rendered) }
                } else {
                    let rows = health.map { source -> [String] in
                        [
                            source.source.name, state(source),
                            source.lastSuccessAt.map { Self.shortDate($0, now: environment.now()) } ?? "never",
                            source.lastStatus.map(String.init) ?? "-",
                            String(source.consecutiveFailures),
                            source.lastError ?? "",
                        ]
                    }
                    print(Table.render(
                        header: ["SOURCE", "STATE", "LAST SUCCESS", "HTTP", "FAILS", "LAST ERROR"], rows: rows,
                        width: TerminalEnvironment.size().columns, shrinkable: [0]))
                }
                for source in health where source.movedTo != nil {
                    print("\(source.source.name) moved permanently to \(source.movedTo!); update its feed in \(config.file)")
                }
                let failing = health.filter { enabled.contains($0.source.name) && $0.consecutiveFailures >= config.failingThreshold }
                for source in failing {
                    GazetteExit.printError("\(source.source.name) has failed \(source.consecutiveFailures) times in a row: \(source.lastError ?? "")")
                }
                if !failing.isEmpty { throw GazetteExit.partialFailure }
            }
        }

        /// "2026-12-02 06:15" in the machine's zone; the time alone for today.
        static func shortDate(_ date: Date, now: Date) -> String {
            let calendar = Calendar.current
            let style = Date.FormatStyle(date: .omitted, time: .shortened)
            if calendar.isDate(date, inSameDayAs: now) { return "today " + date.formatted(style) }
            return date.formatted(.iso8601.year().month().day()) + " " + date.formatted(style)
        }

        static func json(_ source: SourceHealth, state: String, now: Date) -> JSONValue {
            .object([
                ("name", .string(source.source.name)), ("feed", .string(source.source.feedURL)), ("state", .string(state)),
                ("lastSuccess", .time(source.lastSuccessAt)), ("lastFetched", .time(source.lastFetchedAt)),
                ("lastStatus", source.lastStatus.map(JSONValue.number) ?? .null),
                ("consecutiveFailures", .number(source.consecutiveFailures)), ("notModified", .number(source.notModifiedCount)),
                ("notBefore", .time(source.nextFetchAt.flatMap { $0 > now ? $0 : nil })), ("movedTo", .optional(source.movedTo)),
                ("lastError", .optional(source.lastError)),
            ])
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
                as seen on the first fetch, except the newest --backfill of them. One or two of \
                its article pages are read: when they carry a section path or tags the feed \
                lacks, the source gets `enrich = true` (each new article's page is read) and \
                the command says so; --no-probe skips this.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "A site's or a feed's http(s) address.") var address: String
        @Option(help: "The source's name (default: from the host, e.g. \"israelhayom\").") var name: String?
        @Option(help: "Which of several offered feeds to add (1, 2, …).") var pick: Int?
        @Option(help: "On the first fetch, how many of the newest items count as news.") var backfill = 0
        @Flag(help: "Only show what would be added.") var dryRun = false
        @Flag(help: "Do not read article pages to decide on enrich.") var noProbe = false

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
                let finding = noProbe ? PageProbe.Finding() : await PageProbe(http: CurlHTTPClient()).probe(feedURL: chosen.url)
                if let reason = finding.reason {
                    print("enrich = true: \(reason); each new article's page will be read (set enrich = false to stop)")
                }
                if dryRun {
                    print("Would add to \(config.file):")
                    print(ConfigEditor.sourceBlock(name: sourceName, feed: chosen.url, backfill: backfill, enrich: finding.enrich))
                    return
                }
                _ = try ConfigEditor.appendSource(
                    name: sourceName, feed: chosen.url, backfill: backfill, enrich: finding.enrich, toConfigAt: config.file)
                print("added source '\(sourceName)' (\(chosen.url)) to \(config.file); the next run fetches it")
            }
        }
    }
}
