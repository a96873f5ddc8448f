import ArgumentParser
import FeedFetching
import Foundation
import GazetteApp

extension GazetteCommand {
    struct Doctor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "doctor",
            abstract: "Check the config, templates, database, mail transport and sources, and say what to fix.",
            discussion: """
                Changes nothing: the database is only read, no message is sent (the SMTP check \
                stops after AUTH with a NOOP) and no fetch is recorded. Exits with 4 when a check \
                fails; warnings alone exit with 0.
                """)

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await GazetteExit.reporting {
                let doctor = GazetteApp.Doctor(environment: ProcessInfo.processInfo.environment, http: CurlHTTPClient())
                let (loaded, first) = doctor.loadConfig(path: global.configPath)
                var checks = [first]
                if var config = loaded {
                    if let database = global.database { config.databasePath = database }
                    if let templates = global.templates { config.templatesFolder = templates }
                    checks += await doctor.check(config)
                }
                print(DoctorReport.render(checks))
                if checks.contains(where: { $0.status == .fail }) { throw GazetteExit.doctorFound }
            }
        }
    }
}

/// `gazette doctor`'s lines: status, subject, then what was found and what to do, aligned.
enum DoctorReport {
    static func render(_ checks: [DoctorCheck]) -> String {
        let width = checks.map(\.subject.count).max() ?? 0
        let lines = checks.map { check in
            let status = check.status == .fail ? "FAIL" : check.status.rawValue
            return status.padding(toLength: 4, withPad: " ", startingAt: 0) + "  "
                + check.subject.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                + TerminalText.escaped(check.message)
        }
        let failures = checks.count { $0.status == .fail }
        let warnings = checks.count { $0.status == .warn }
        let verdict = failures > 0 ? "\(failures) check(s) failed" : warnings > 0 ? "no failures, \(warnings) warning(s)" : "all checks passed"
        return (lines + ["", "\(verdict) (\(checks.count) checks)"]).joined(separator: "\n")
    }
}
