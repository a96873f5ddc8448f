import FeedParsing
import Foundation
import GazetteApp
import GazetteModel

/// `ConfigLoader.parse` on any text: a config or a `ConfigError`, never a crash. An error
/// names the file and, when it points at a line, a line the text has (or 0 for none); a
/// config keeps its promises: retention within bounds, forget not before retention, a
/// bounce limit of at least 1, unique non-empty source names, an absolute database path,
/// and site selectors that compile.
public enum ConfigLoaderCheck: FuzzCheck {
    public static let name = "ConfigLoader"
    static let file = "fuzz.toml"
    /// An empty folder, so relative paths (`password_file`, templates) resolve to nothing.
    static let folder = URL(fileURLWithPath: "/nonexistent/gazette-fuzz", isDirectory: true)

    public static func violations(_ data: Data) -> [String] {
        let text = String(decoding: data, as: UTF8.self)
        let lineCount = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).count
        let config: GazetteConfig
        do {
            config = try ConfigLoader.parse(text, file: file, relativeTo: folder, environment: [:])
        } catch {
            var problems: [String] = []
            let description = error.description
            if !description.hasPrefix("config: ") || !description.contains(file) {
                problems.append("an error that does not name the file: \(TextChecks.excerpt(description))")
            }
            switch error {
            case .syntax(_, let line, _, _), .invalid(_, let line, _, _):
                if line < 0 || line > lineCount + 1 {
                    problems.append("an error on line \(line) of \(lineCount): \(description)")
                }
            default: break
            }
            return problems
        }
        var problems: [String] = []
        if !(7...3650).contains(config.retentionDays) { problems.append("retention_days \(config.retentionDays) accepted") }
        if config.forgetDays < config.retentionDays {
            problems.append("forget_days \(config.forgetDays) < retention_days accepted")
        }
        if config.bounceLimit < 1 { problems.append("bounce_limit \(config.bounceLimit) accepted") }
        if !config.databasePath.hasPrefix("/") { problems.append("a relative database path: \(config.databasePath)") }
        let names = config.sources.map(\.name)
        if Set(names).count != names.count || names.contains(where: \.isEmpty) {
            problems.append("source names empty or repeated: \(names.map(TextChecks.excerpt))")
        }
        for site in config.sites {
            for selector in [site.section, site.tags, site.author, site.date].compactMap({ $0 })
            where Selector.xpath(selector) == nil {
                problems.append("site \(site.host): selector \(TextChecks.excerpt(selector)) accepted but does not compile")
            }
        }
        return problems
    }
}
