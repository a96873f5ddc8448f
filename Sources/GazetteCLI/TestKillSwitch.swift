import Foundation
import GazetteApp
import Synchronization

/// Kills the process at one chosen moment of a delivery, for the crash tests: with
/// `GAZETTE_TEST_KILL_AT=after-claim:2` the process sends itself SIGKILL the second time a
/// delivery passes `DeliveryCheckpoint.afterClaim`. Without the variable nothing listens.
///
/// SIGKILL, not `exit`: nothing may run after it (no deinit, no flush, no atexit), exactly
/// as when the machine loses power or an operator kills a stuck job.
enum TestKillSwitch {
    static let variable = "GAZETTE_TEST_KILL_AT"

    /// The listener for `AppEnvironment.checkpoint`; nil when the variable is not set.
    /// - Throws: a usage error when the variable is set but says nothing we know, so a typo
    ///   in a test fails loudly instead of never killing.
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> (@Sendable (DeliveryCheckpoint) -> Void)?
    {
        guard let value = environment[variable], !value.isEmpty else { return nil }
        let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
        guard let point = DeliveryCheckpoint(rawValue: parts[0]), let nth = parts.count > 1 ? Int(parts[1]) : 1, nth >= 1 else {
            let points = DeliveryCheckpoint.allCases.map(\.rawValue).joined(separator: ", ")
            throw CLIError("\(variable)=\(value) is not POINT[:N] with POINT one of \(points)", exitCode: GazetteExit.usage)
        }
        let seen = Mutex(0)
        return { passed in
            guard passed == point else { return }
            let count = seen.withLock { count in
                count += 1
                return count
            }
            if count == nth { kill(getpid(), SIGKILL) }
        }
    }
}
