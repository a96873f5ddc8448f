import ArgumentParser
import Foundation
import GazetteApp
import GazetteStore

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
            printError(error.description)
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
            switch error {
            case .duplicateSubscriber, .duplicateList, .listHasMembers: throw conflict
            case .subscriberNotFound, .listNotFound, .sourceNotFound, .articleNotFound: throw notFound
            case .unusableDatabase: throw runFailed
            }
        } catch let error as TokenError {
            printError(error.description)
            throw badInput
        } catch {
            printError(String(describing: error))
            throw runFailed
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("gazette: \(message)\n".utf8))
    }
}
