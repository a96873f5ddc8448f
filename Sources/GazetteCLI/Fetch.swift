import ArgumentParser
import Foundation
import GazetteApp

extension GazetteCommand {
    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fetch",
            abstract: "Fetch every source and store new articles, without sending anything.")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Fetch every source now, even those whose server asked for a pause (Cache-Control, <ttl>, Retry-After).")
        var force = false

        func run() async throws {
            try await GazetteExit.reporting {
                let progress = TerminalProgress.forStandardError(global)
                defer { progress?.finish() }
                let (config, environment) = try LiveEnvironment.make(global, lock: "fetch", progress: progress)
                let results = try await SourceFetch(config: config, ignoreSchedule: force).run(config.sources, environment: environment)
                progress?.finish()
                var failed = 0
                for result in results {
                    switch result.outcome {
                    case .fetched(let items, let new):
                        print("\(result.source): \(items) items, \(new) new" + (result.pagesRead > 0 ? ", \(result.pagesRead) article pages read" : ""))
                    case .notModified: print("\(result.source): not modified")
                    case .notDue(let until): print("\(result.source): not due before \(until.formatted(.iso8601))")
                    case .failed(let reason):
                        failed += 1
                        GazetteExit.printError(reason)
                    }
                    for warning in result.warnings { print("\(result.source): warning: \(warning)") }
                    for failure in result.pageFailures { print("\(result.source): warning: \(failure)") }
                }
                if failed > 0 { throw failed == results.count ? GazetteExit.runFailed : GazetteExit.partialFailure }
            }
        }
    }
}
