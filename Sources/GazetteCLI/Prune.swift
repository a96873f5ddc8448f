import ArgumentParser
import GazetteApp
import GazetteStore

extension GazetteCommand {
    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prune",
            abstract: "Shrink the database: slim old articles, drop old ledger rows, compact the file.",
            discussion: "gazette run also does this once a week. See retention_days and forget_days in the config.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global, lock: "prune")
                let report = try Retention(config: config).prune(environment: environment)
                print("pruned: \(report.articlesSlimmed) articles slimmed, \(report.articlesDeleted) forgotten, "
                    + "\(report.deliveriesDeleted) ledger rows and \(report.editionsDeleted) editions dropped; "
                    + "\(report.bytesBefore / 1024) KiB → \(report.bytesAfter / 1024) KiB")
            }
        }
    }
}
