import ArgumentParser
import Foundation
import GazetteApp
import GazetteStore
import Mailing

/// The exit codes cron and scripts can rely on (also listed in `gazette --help` and README).
enum GazetteExit {
    static let runFailed = ExitCode(1)
    static let partialFailure = ExitCode(3)
    /// `gazette doctor` found at least one failing check.
    static let doctorFound = ExitCode(4)
    /// It exists already (an address, a list), or the change needs an explicit flag
    /// (`--resubscribe` for an unsubscribed address).
    static let conflict = ExitCode(5)
    static let usage = ExitCode(64)  // EX_USAGE, as swift-argument-parser uses it
    /// The input is wrong: an address, a CSV file (with --strict), a token, a list definition.
    static let badInput = ExitCode(65)  // EX_DATAERR
    /// The input file cannot be read.
    static let noInput = ExitCode(66)  // EX_NOINPUT
    /// No such subscriber or list.
    static let notFound = ExitCode(67)  // EX_NOUSER
    static let lockHeld = ExitCode(75)  // EX_TEMPFAIL: try again later
    static let badConfig = ExitCode(78)  // EX_CONFIG

    /// Runs `body`, turning Gazette's own errors into one line on stderr and an exit code.
    static func reporting<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as CleanExit {
            throw error
        } catch let error as ConfigError {
            // Several problems are several lines, each a message of its own (and a JSON object
            // of its own under --log-format json).
            for line in error.description.split(separator: "\n") { printError(String(line)) }
            if case .unknownList = error { throw notFound }
            throw badConfig
        } catch let error as RunLock.Held {
            printError(error.description)
            throw lockHeld
        } catch let error as CLIError {
            printError(error.description)
            throw error.exitCode
        } catch let error as AdminError {
            printError(error.description)
            switch error.kind {
            case .notFound: throw notFound
            case .conflict: throw conflict
            case .invalidInput: throw badInput
            case .failed: throw runFailed
            }
        } catch let error as StoreError {
            printError(error.description)
            throw exitCode(for: error)
        } catch let error as OutputFileError {
            printError(error.description)
            if case .exists = error { throw conflict }
            throw noInput
        } catch let error as SubscriberFields.FieldProblem {
            printError(error.description)
            throw badInput
        } catch let error as TemplateError {
            printError(error.description)
            throw badConfig
        } catch let error as TokenError {
            printError(error.description)
            throw badInput
        } catch {
            // Nothing from SQLite, GRDB or Foundation reaches the user as it is: each is
            // said in plain words, naming the file (the database, or the file Foundation names).
            if let store = AppDatabase.storeError(for: error, path: LiveEnvironment.databasePath ?? "the database") {
                printError(store.description)
                throw runFailed
            }
            if (error as NSError).domain == NSCocoaErrorDomain || (error as NSError).domain == NSPOSIXErrorDomain {
                let reason = PlainFileError.reason(error)
                printError(PlainFileError.path(error).map { "\($0): \(reason)" } ?? reason)
                throw runFailed
            }
            printError(String(describing: error))
            throw runFailed
        }
    }

    static func exitCode(for error: StoreError) -> ExitCode {
        switch error {
        case .duplicateSubscriber, .duplicateList, .listHasMembers: conflict
        case .subscriberNotFound, .listNotFound, .sourceNotFound, .articleNotFound: notFound
        case .missingDatabase: noInput
        case .unusableDatabase: runFailed
        }
    }

    /// `--log-format json`: every line on stderr is a JSON object (set while parsing options).
    nonisolated(unsafe) static var jsonLines = false

    /// One problem on stderr: `gazette: …` for people (control characters escaped, so a file's
    /// content cannot drive the terminal), or a JSON object with `--log-format json`.
    static func printError(_ message: String) {
        if jsonLines {
            let warning = message.hasPrefix("warning: ")
            let text = warning ? String(message.dropFirst("warning: ".count)) : message
            FileHandle.standardError.write(JSONLogHandler.line(level: warning ? "warning" : "error", message: text))
            return
        }
        FileHandle.standardError.write(Data("gazette: \(TerminalText.escaped(message))\n".utf8))
    }
}
