import ArgumentParser
import FeedParsing
import Foundation
import GazetteApp
import GazetteModel

/// `gazette sources remove|disable|enable NAME`: the config edited in place, comments kept.
extension GazetteCommand.Sources {
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a source from the config (its articles already stored stay until retention drops them).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The source's name, as `gazette sources` lists it.") var name: String

        func run() async throws {
            try await GazetteExit.reporting {
                let file = try ConfigLoader.load(path: global.configPath, environment: ProcessInfo.processInfo.environment).file
                _ = try ConfigEditor.removeSource(named: name, fromConfigAt: file)
                print("removed source '\(name)' from \(file)")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable",
            abstract: "Stop fetching a source but keep it in the config (`enabled = false`).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The source's name.") var name: String

        func run() async throws {
            try await GazetteExit.reporting {
                let file = try ConfigLoader.load(path: global.configPath, environment: ProcessInfo.processInfo.environment).file
                _ = try ConfigEditor.setSource(named: name, enabled: false, atConfigAt: file)
                print("disabled source '\(name)' in \(file): it is not fetched until `gazette sources enable \(name)`")
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Fetch a disabled source again.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The source's name.") var name: String

        func run() async throws {
            try await GazetteExit.reporting {
                let file = try ConfigLoader.load(path: global.configPath, environment: ProcessInfo.processInfo.environment).file
                _ = try ConfigEditor.setSource(named: name, enabled: true, atConfigAt: file)
                print("enabled source '\(name)' in \(file)")
            }
        }
    }
}

/// `gazette sources import FILE.opml` and `gazette sources export [FILE.opml]`: subscription
/// lists as every feed reader writes them.
extension GazetteCommand.Sources {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Add the feeds of an OPML file (from a feed reader) to the config.",
            discussion: """
                Each feed becomes a [[sources]] table named after its host (or --name-from title); \
                its OPML folder is kept as `folder`, so `gazette sources export` writes it back. \
                Feeds already configured are skipped and named.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "An OPML file.") var file: String
        @Option(help: "On each new source's first fetch, how many of the newest items count as news.") var backfill = 0
        @Flag(help: "Only show what would be added.") var dryRun = false

        func validate() throws {
            guard backfill >= 0 else { throw ValidationError("--backfill must be 0 or more") }
        }

        func run() async throws {
            try await GazetteExit.reporting {
                let config = try ConfigLoader.load(path: global.configPath, environment: ProcessInfo.processInfo.environment)
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CLIError("cannot read \(file): no such file, a folder, or not readable", exitCode: GazetteExit.noInput)
                }
                let feeds: [OPML.Feed]
                do {
                    feeds = try OPML.feeds(in: data)
                } catch let error as OPML.ReadError {
                    throw CLIError("\(file): \(error.description)", exitCode: GazetteExit.badInput)
                }
                let configured = config.sources + config.disabledSources
                var taken = Set(configured.map(\.name))
                var additions: [ConfigEditor.NewSource] = []
                var skipped = 0
                for feed in feeds {
                    guard feed.feedURL.hasPrefix("http://") || feed.feedURL.hasPrefix("https://") else {
                        GazetteExit.printError("skipped \(feed.feedURL): only http(s) feeds are imported")
                        skipped += 1
                        continue
                    }
                    if let existing = configured.first(where: { $0.feedURL == feed.feedURL }) {
                        print("already configured as '\(existing.name)': \(feed.feedURL)")
                        continue
                    }
                    let name = SourceDiscovery.suggestedName(for: feed.feedURL, taken: taken)
                    taken.insert(name)
                    additions.append(
                        ConfigEditor.NewSource(name: name, feed: feed.feedURL, site: feed.siteURL, backfill: backfill, folders: feed.folders))
                }
                for source in additions {
                    let folder = source.folders.isEmpty ? "" : "  [\(source.folders.joined(separator: " / "))]"
                    print("\(dryRun ? "would add" : "adding") '\(source.name)': \(source.feed)\(folder)")
                }
                if !dryRun, !additions.isEmpty { _ = try ConfigEditor.appendSources(additions, toConfigAt: config.file) }
                print("\(additions.count) source(s) \(dryRun ? "would be " : "")added to \(config.file) from \(feeds.count) feed(s) in \(file)")
                if skipped > 0 { throw GazetteExit.partialFailure }
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write the configured sources as OPML 2.0 (to FILE, or to standard output).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The OPML file to write; standard output when left out.") var file: String?
        @Flag(help: "Replace FILE if it exists.") var force = false

        func run() async throws {
            try await GazetteExit.reporting {
                let config = try ConfigLoader.load(path: global.configPath, environment: ProcessInfo.processInfo.environment)
                let feeds = (config.sources + config.disabledSources).map { source in
                    OPML.Feed(
                        title: source.name, feedURL: source.feedURL, siteURL: source.siteURL, folders: config.sourceFolders[source.name] ?? [])
                }
                // Grouped by folder, so each folder is written once.
                let ordered = feeds.enumerated().sorted { first, second in
                    first.element.folders == second.element.folders
                        ? first.offset < second.offset : first.element.folders.lexicographicallyPrecedes(second.element.folders)
                }.map(\.element)
                let title = "Gazette sources (\(URL(fileURLWithPath: config.file).lastPathComponent))"
                let document = OPML.document(title: title, feeds: ordered, created: Date())
                guard let file else {
                    print(document, terminator: "")
                    return
                }
                try OutputFile(path: file, force: force).write(Data(document.utf8))
                print("exported \(feeds.count) source(s) to \(file)")
            }
        }
    }
}
