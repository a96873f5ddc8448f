import ArgumentParser
import FeedFetching
import FeedParsing
import Foundation
import GazetteApp
import GazetteModel

extension GazetteCommand {
    struct Extract: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "extract",
            abstract: "Read article pages (files or URLs) and print the section, tags, byline and dates Gazette finds.",
            discussion: """
                With --json, prints one JSON object per input, one per line, in input order: \
                {"url", "title", "authors", "published", "modified", "section", "tags", "summary", \
                "image", "site_name", "language", "direction"}. Times are RFC 3339: "published" in the \
                page's own UTC offset when it wrote one (its date is the one the page shows), others \
                in UTC; missing values are null \
                or []. Warnings go to stderr. The config's [[sites]] rules apply when one matches \
                the page's host (or --source names the source whose site it is).
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Article pages: HTML files or http(s) URLs.") var inputs: [String]
        @Flag(help: "JSON Lines output, one object per input.") var json = false
        @Option(help: "The page's address, for a file: relative links resolve against it and it picks the site rules.") var url: String?
        @Option(help: "Apply the site rules for this source's site.") var source: String?

        func run() async throws {
            try await GazetteExit.reporting {
                let config = try? ConfigLoader.load(path: global.configPath, environment: ProcessInfo.processInfo.environment)
                if source != nil, config == nil {
                    _ = try ConfigLoader.load(path: global.configPath, environment: ProcessInfo.processInfo.environment)  // says why
                }
                var ruleHost: String?
                if let source {
                    guard let found = config?.sources.first(where: { $0.name == source }) else {
                        throw CLIError("no source named '\(source)' in \(global.configPath)")
                    }
                    ruleHost = found.siteURL ?? found.feedURL
                }
                var failures = 0
                for input in inputs {
                    do {
                        let (data, contentType, address) = try await DocumentInput.read(input, address: url)
                        let rules = SiteRules.matching(ruleHost ?? address, in: config?.sites ?? [])
                        let metadata = ArticleExtractor.extract(data, url: address, contentType: contentType, rules: rules)
                        print(json ? PageJSON.object(metadata).rendered : PageJSON.summary(metadata, input: input))
                        for warning in metadata.warnings { GazetteExit.printError("\(input): warning: \(warning)") }
                    } catch {
                        failures += 1
                        if inputs.count == 1, case .unreadableFile? = error as? FetchError {
                            throw CLIError(String(describing: error), exitCode: GazetteExit.noInput)
                        }
                        if inputs.count == 1 { throw error }
                        print(json ? JSONValue.object([("file", .string(input)), ("error", .string(String(describing: error)))]).rendered
                            : "\(input): error: \(error)")
                    }
                }
                if failures > 0 { throw failures == inputs.count ? GazetteExit.runFailed : GazetteExit.partialFailure }
            }
        }
    }
}

/// `extract`'s output shapes.
enum PageJSON {
    static func object(_ page: ArticleMetadata) -> JSONValue {
        .object([
            ("url", .optional(page.url)), ("title", .optional(page.title)), ("authors", .strings(page.authors)),
            ("published", .time(page.publishedAt, offset: page.publishedOffset)), ("modified", .time(page.modifiedAt)), ("section", .strings(page.section)),
            ("tags", .strings(page.tags)), ("summary", .optional(page.summary)),
            (
                "image",
                page.image.map { image in
                    .object([("url", .string(image.url)), ("caption", .optional(image.caption)), ("alt", .optional(image.alt))])
                } ?? .null
            ),
            ("site_name", .optional(page.siteName)), ("language", .optional(page.language)), ("direction", .string(page.direction.rawValue)),
        ])
    }

    static func summary(_ page: ArticleMetadata, input: String) -> String {
        var lines = ["\(input): \(page.title ?? "(no title)")"]
        if !page.section.isEmpty { lines.append("  section: " + page.section.joined(separator: " > ")) }
        if !page.tags.isEmpty { lines.append("  tags: " + page.tags.joined(separator: ", ")) }
        if !page.authors.isEmpty { lines.append("  by: " + page.authors.joined(separator: ", ")) }
        if let published = page.publishedAt { lines.append("  published: " + JSONValue.time(published).rendered.trimmingCharacters(in: CharacterSet(charactersIn: "\""))) }
        return lines.joined(separator: "\n")
    }
}
