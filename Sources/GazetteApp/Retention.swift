import Foundation
import GazetteStore

/// `gazette prune`, and the weekly prune inside `gazette run`: old articles slimmed to what
/// dedupe needs, then forgotten; old ledger rows dropped (each subscriber's last sent digest
/// kept); the file compacted.
public struct Retention: Sendable {
    public var config: GazetteConfig
    /// How often `run` prunes on its own.
    public static let automaticInterval: TimeInterval = 7 * 86_400

    public init(config: GazetteConfig) {
        self.config = config
    }

    public func prune(environment: AppEnvironment) throws -> AppDatabase.PruneReport {
        let now = environment.now()
        let report = try environment.database.prune(
            before: now.addingTimeInterval(-Double(config.retentionDays) * 86_400),
            forgetBefore: now.addingTimeInterval(-Double(config.forgetDays) * 86_400))
        try environment.database.recordPruned(at: now)
        return report
    }

    /// Prunes when the last prune is more than a week old (or never happened).
    public func pruneIfDue(environment: AppEnvironment) throws -> AppDatabase.PruneReport? {
        if let last = try environment.database.lastPruned(), environment.now().timeIntervalSince(last) < Self.automaticInterval {
            return nil
        }
        return try prune(environment: environment)
    }
}
