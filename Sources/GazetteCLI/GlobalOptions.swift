import ArgumentParser
import Foundation

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The config file (default: $GAZETTE_CONFIG, else ./gazette.toml).", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("The SQLite database; overrides the config's `database`.", valueName: "file"))
    var database: String?

    @Option(name: .long, help: ArgumentHelp("A templates folder overriding the built-in templates file by file; overrides the config's `templates`.", valueName: "dir"))
    var templates: String?

    @Flag(name: .shortAndLong, help: "Log each step, not only problems.")
    var verbose = false

    @Option(name: .long, help: "text (human lines with --verbose) or json (one JSON object a line on stderr, every step).")
    var logFormat: String = "text"

    func validate() throws {
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format takes text or json") }
        GazetteExit.jsonLines = logFormat == "json"
    }

    /// The config path: --config, else $GAZETTE_CONFIG, else ./gazette.toml.
    var configPath: String {
        config ?? ProcessInfo.processInfo.environment["GAZETTE_CONFIG"] ?? "gazette.toml"
    }
}
