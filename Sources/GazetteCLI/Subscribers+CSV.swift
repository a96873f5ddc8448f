import ArgumentParser
import Foundation
import GazetteApp
import GazetteModel
import GazetteStore

extension GazetteCommand.Subscribers {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Add subscribers from a CSV file (columns: email, name, lists, sections, tags; see subscribers/README.md).",
            discussion: """
                Every bad row is reported by line and skipped; the good rows are written in one \
                transaction (none with --strict). Rows for the same address merge. Existing \
                subscribers are left as they are unless --update; unsubscribed and bounced ones \
                stay so unless --resubscribe. Exit code 3 when rows were rejected, 65 with --strict.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The CSV file.") var file: String
        @Option(name: .long, help: "The list for rows that name none (default: every list).") var list: String?
        @Flag(name: .long, help: "Check everything and report, write nothing.") var dryRun = false
        @Flag(name: .long, help: "Existing subscribers take the file's name, lists and preferences.") var update = false
        @Flag(name: .long, help: "Import nothing when any row is bad.") var strict = false
        @Flag(name: .long, help: "Make unsubscribed and bounced addresses in the file active again (with their consent only).")
        var resubscribe = false
        @Flag(name: .long, help: "Print the report as JSON on stdout.") var json = false

        func run() async throws {
            try await GazetteExit.reporting {
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), isFolder.boolValue {
                    throw CLIError("cannot read \(file): it is a folder; name the CSV file", exitCode: GazetteExit.noInput)
                }
                let reader: CSVReader
                do {
                    reader = try CSVReader(path: file)
                } catch {
                    throw CLIError("cannot read \(file): \(PlainFileError.reason(error))", exitCode: GazetteExit.noInput)
                }
                let (config, environment) = try LiveEnvironment.make(global)
                var options = SubscriberImport.Options(defaultList: list)
                options.dryRun = dryRun
                options.update = update
                options.strict = strict
                options.resubscribe = resubscribe
                let report: SubscriberImport.Report
                do {
                    report = try SubscriberImport(config: config, options: options).run(reader, file: file, environment: environment)
                } catch let error as CocoaError {
                    throw CLIError("cannot read \(file): \(PlainFileError.reason(error))", exitCode: GazetteExit.noInput)
                }
                for problem in report.rejected { GazetteExit.printError("\(file): \(problem)") }
                for note in report.keptUnsubscribed { GazetteExit.printError("\(file): \(note)") }
                if json {
                    print(try SubscriberOutput.json(report, pretty: true))
                } else {
                    var summary = "\(file): \(report.added) added, \(report.updated) updated, \(report.unchanged) already subscribed, "
                        + "\(report.merged) merged, \(report.keptUnsubscribed.count) kept unsubscribed, \(report.rejected.count) rejected"
                    if report.resubscribed > 0 { summary += ", \(report.resubscribed) resubscribed" }
                    if dryRun { summary += " (dry run: nothing was written)" }
                    if strict, !report.rejected.isEmpty { summary += " (--strict: nothing was imported)" }
                    print(summary)
                }
                if !report.rejected.isEmpty { throw strict ? GazetteExit.badInput : GazetteExit.partialFailure }
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write subscribers as CSV, in the format import reads (a lossless round trip).",
            discussion: "Columns: email, name, lists, sections, tags, mute_sections, mute_tags, status. Streams, in constant memory.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The CSV file to write (default: standard output).") var file: String?
        @Option(name: .long, help: "Only this list's subscribers.") var list: String?
        @Option(name: .long, help: "Only subscribers with this status.") var status: String?
        @Flag(name: .long, help: "Replace FILE if it exists.") var force = false

        func validate() throws {
            if let status, SubscriberStatus(rawValue: status) == nil {
                throw ValidationError("--status takes \(SubscriberStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            try await GazetteExit.reporting {
                let output = file.flatMap { $0 == "-" ? nil : OutputFile(path: $0, force: force, mode: 0o600) }
                try output?.check()
                let (config, environment) = try LiveEnvironment.make(global, access: .read)
                if let list { _ = try config.list(named: list) }
                let filter = AppDatabase.SubscriberFilter(listName: list, status: status.flatMap(SubscriberStatus.init(rawValue:)))
                guard let output, let file else {
                    let out = BufferedOutput()
                    _ = try SubscriberAdmin(config: config).export(filter, environment: environment) { out.write($0) }
                    out.flush()
                    return
                }
                // Written beside the target and renamed at the end: a failed export leaves no half file.
                let count = try output.write { handle in
                    let out = BufferedOutput(handle)
                    let count = try SubscriberAdmin(config: config).export(filter, environment: environment) { out.write($0) }
                    out.flush()
                    return count
                }
                print("exported \(count) subscriber\(count == 1 ? "" : "s") to \(file)")
            }
        }
    }
}
