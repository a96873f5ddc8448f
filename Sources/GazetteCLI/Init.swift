import ArgumentParser
import Foundation
import GazetteApp

extension GazetteCommand {
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "init", abstract: "Write a commented starter gazette.toml.")

        @OptionGroup var global: GlobalOptions

        @Flag(name: .long, help: "Replace an existing file.")
        var force = false

        func run() async throws {
            try await GazetteExit.reporting {
                let path = global.configPath
                try OutputFile(path: path, force: force, mode: 0o600).write(Data(StarterConfig.text.utf8))
                print("wrote \(path); edit its sources and lists, then run `gazette fetch`")
            }
        }
    }
}
