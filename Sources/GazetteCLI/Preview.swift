import ArgumentParser
import Foundation
import GazetteApp
import GazetteModel
import Mailing

extension GazetteCommand {
    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "preview",
            abstract: "Show the digest a subscriber would get now, without sending or recording anything.",
            discussion: """
                The same selection and templates as the real send. In a terminal: bold titles, dim \
                details, wrapped to its width, paged when long; colour never when NO_COLOR is set.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case terminal, text, html, eml
        }

        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "The list (default: the config's first list).")
        var list: String?

        @Option(name: .long, help: "Whose digest; without it, the whole list over the first-digest look-back.")
        var subscriber: String?

        @Option(name: .long, help: "terminal (default): for reading here; text: the plain-text part; html: the HTML part; eml: the whole message.")
        var format: Format = .terminal

        @Option(name: .long, help: "Preview as of this moment (2026-11-27 or 2026-11-27T07:00, in the config's time zone).")
        var date: String?

        @Flag(name: .long, help: "Fetch the sources first, into memory only: nothing is stored.")
        var fetch = false

        @Flag(name: .long, help: "List why each candidate article was included, merged, capped, muted or left out.")
        var explain = false

        @Flag(name: .long, help: "Show what is new since the last digest that reached the subscriber, and what waits.")
        var diff = false

        @Option(name: .long, help: ArgumentHelp("Also write the HTML part to this file.", valueName: "file"))
        var html: String?

        @Flag(name: .long, help: "Replace the --html file if it exists.")
        var force = false

        @Flag(name: .long, help: "Open the --html file with the system's opener.")
        var open = false

        @Option(name: .long, help: "Columns to wrap to (default: the terminal's width).")
        var width: Int?

        @Option(name: .long, help: "auto, always or never.")
        var color: String = "auto"

        @Option(name: .long, help: "OSC 8 hyperlinks: auto, always or never.")
        var hyperlinks: String = "auto"

        @Flag(name: .long, help: "Never page the output.")
        var noPager = false

        func validate() throws {
            guard TerminalEnvironment.Choice(rawValue: color) != nil, TerminalEnvironment.Choice(rawValue: hyperlinks) != nil else {
                throw ValidationError("--color and --hyperlinks take auto, always or never")
            }
            if open, html == nil { throw ValidationError("--open needs --html FILE") }
            if let width, width < 20 { throw ValidationError("--width must be at least 20") }
        }

        func run() async throws {
            try await GazetteExit.reporting {
                let output = html.map { OutputFile(path: $0, force: force) }
                try output?.check()
                var (config, environment) = try LiveEnvironment.make(global, access: .read, dryRun: fetch)
                if let date {
                    let moment = try PreviewDate.parse(date, timeZone: config.timeZone, schedule: config.lists.first?.schedule)
                    environment.now = { moment }
                }
                if fetch { _ = try await SourceFetch(config: config).run(config.sources, environment: environment) }
                let result = try GazetteApp.Preview(config: config)
                    .run(listName: list, email: subscriber, explain: explain || diff, environment: environment)
                if let html, let output {
                    try output.write(Data(result.rendered.html.utf8))
                    if open { try Opener.open(html) }
                }
                if explain {
                    print(DecisionReport.render(result.digest))
                    return
                }
                if diff {
                    print(DecisionReport.renderDiff(result.digest, lastSent: result.lastSentWindowEnd))
                    return
                }
                switch format {
                case .eml:
                    FileHandle.standardOutput.write(result.eml)
                case .html:
                    print(result.rendered.html)
                case .text:
                    print(result.rendered.text, terminator: "")
                case .terminal:
                    let size = TerminalEnvironment.size()
                    let colorOn = TerminalEnvironment.wantsColor(.init(rawValue: color) ?? .auto)
                    let style = TerminalDigestRenderer.Style(
                        width: width ?? size.columns, color: colorOn,
                        hyperlinks: TerminalEnvironment.wantsHyperlinks(.init(rawValue: hyperlinks) ?? .auto, color: colorOn),
                        bidiIsolates: TerminalEnvironment.isTerminal)
                    let list = result.digest.list
                    let reader = result.digest.subscriber
                    let header = TerminalDigestRenderer.Header(
                        subject: result.subject, from: "\(list.senderName) <\(list.senderAddress)>",
                        to: reader.name.map { $0.isEmpty ? reader.email : "\($0) <\(reader.email)>" } ?? reader.email,
                        htmlBytes: result.rendered.htmlEncodedSize.bytes,
                        htmlBudget: list.rules.htmlBudget)
                    let text = TerminalDigestRenderer(style: style).render(result.model, header: header)
                    TerminalEnvironment.page(text, rows: size.rows, enabled: !noPager)
                }
            }
        }
    }
}

/// `--date`: a day (at the list's send time) or a moment, in the config's time zone.
enum PreviewDate {
    static func parse(_ text: String, timeZone: TimeZone, schedule: String?) throws -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        for format in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        // A day alone: the list's send time that day ("daily 07:00"), else 07:00.
        let time = schedule?.split(separator: " ").last.flatMap { $0.contains(":") ? String($0) : nil } ?? "07:00"
        if let date = formatter.date(from: "\(text) \(time)") { return date }
        throw CLIError("--date \(text): use a day like 2026-11-27 or a moment like 2026-11-27T07:00")
    }
}

/// Opens a file with the desktop's opener.
enum Opener {
    static func open(_ path: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        #if os(macOS)
        process.arguments = ["open", path]
        #else
        process.arguments = ["xdg-open", path]
        #endif
        do {
            try process.run()
        } catch {
            throw CLIError("wrote \(path), but could not open it (no xdg-open here?): \((error as NSError).localizedDescription)")
        }
    }
}
