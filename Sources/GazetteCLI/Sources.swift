import ArgumentParser
import Foundation
import GazetteApp
import GazetteModel
import GazetteStore

extension GazetteCommand {
    struct Sources: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the sources with their health: last success, last answer, failures in a row.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await GazetteExit.reporting {
                let (config, environment) = try LiveEnvironment.make(global)
                try environment.database.syncSources(config.sources)
                let health = try environment.database.sourceHealth()
                let rows = health.map { source -> [String] in
                    [
                        source.source.name,
                        source.lastSuccessAt.map { $0.formatted(.iso8601) } ?? "never",
                        source.lastStatus.map(String.init) ?? "-",
                        String(source.consecutiveFailures),
                        String(source.notModifiedCount),
                        source.lastError ?? "",
                    ]
                }
                print(Table.render(header: ["SOURCE", "LAST SUCCESS", "STATUS", "FAILURES", "304s", "LAST ERROR"], rows: rows))
                let failing = health.filter { $0.consecutiveFailures >= config.failingThreshold }
                for source in failing {
                    GazetteExit.printError("\(source.source.name) has failed \(source.consecutiveFailures) times in a row: \(source.lastError ?? "")")
                }
            }
        }
    }
}

/// Columns aligned for people: each as wide as its widest cell.
enum Table {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
