import ArgumentParser
import Foundation
import GazetteApp
import GazetteStore

extension GazetteCommand {
    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "backup",
            abstract: "Copy the database to a file while Gazette keeps running (SQLite's online backup).",
            discussion: """
                Safe while `gazette run` is writing: the copy is one consistent moment, checked \
                with PRAGMA integrity_check before it replaces FILE. Takes no lock. Restore by \
                stopping cron and copying the file back over the database. The copy has mode 0600.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Where to write the copy.") var file: String
        @Flag(help: "Replace FILE if it exists.") var force = false

        func run() async throws {
            try await GazetteExit.reporting {
                // A folder, or a file without --force, is refused before anything is read.
                try OutputFile(path: file, force: force, mode: 0o600).check()
                let config = try ConfigLoader.load(path: global.configPath, environment: ProcessInfo.processInfo.environment)
                let path = global.database ?? config.databasePath
                guard URL(fileURLWithPath: file).standardizedFileURL != URL(fileURLWithPath: path).standardizedFileURL else {
                    throw CLIError("the backup cannot be the database itself", exitCode: GazetteExit.usage)
                }
                LiveEnvironment.databasePath = path
                let bytes = try AppDatabase.openExisting(path: path, readOnly: true).backup(toFile: file)
                print("backed up \(path) to \(file) (\(ByteCountFormatter.string(fromByteCount: bytes, countStyle: .file)))")
            }
        }
    }
}
