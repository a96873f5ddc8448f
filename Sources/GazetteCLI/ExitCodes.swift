import ArgumentParser
import Foundation
import GazetteApp

/// The exit codes cron and scripts can rely on (also listed in `gazette --help`).
enum GazetteExit {
    static let runFailed = ExitCode(1)
    static let partialFailure = ExitCode(3)
    /// `gazette doctor` found at least one failing check.
    static let doctorFound = ExitCode(4)
    static let lockHeld = ExitCode(75)  // EX_TEMPFAIL: try again later
    static let badConfig = ExitCode(78)  // EX_CONFIG

    /// Runs `body`, turning Gazette's own errors into one line on stderr and an exit code.
    static func reporting<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as ConfigError {
            printError(error.description)
            throw badConfig
        } catch let error as CleanExit {
            throw error
        } catch let error as RunLock.Held {
            printError(error.description)
            throw lockHeld
        } catch {
            printError(String(describing: error))
            throw runFailed
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("gazette: \(message)\n".utf8))
    }
}
