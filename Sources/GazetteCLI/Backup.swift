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
                stopping cron and copying the file back over the database.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Where to write the copy.") var file: String
        @Flag(help: "Replace FILE if it exists.") var force = false

        func validate() throws {
            if !force, FileManager.default.fileExists(atPath: file) {
                throw ValidationError("\(file) exists; pass --force to replace it")
            }
        }

        func run() async throws {
            try await GazetteExit.reporting {
                let config = try ConfigLoader.load(path: global.configPath, environment: ProcessInfo.processInfo.environment)
                let path = global.database ?? config.databasePath
                guard FileManager.default.fileExists(atPath: path) else {
                    throw CLIError("there is no database at \(path) yet; nothing to back up")
                }
                guard URL(fileURLWithPath: file).standardizedFileURL != URL(fileURLWithPath: path).standardizedFileURL else {
                    throw CLIError("the backup cannot be the database itself")
                }
                let bytes = try AppDatabase.open(path: path).backup(toFile: file)
                print("backed up \(path) to \(file) (\(ByteCountFormatter.string(fromByteCount: bytes, countStyle: .file)))")
            }
        }
    }
}
