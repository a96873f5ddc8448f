import FeedFetching
import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import Logging
import Mailing
import Synchronization
import ArgumentParser

/// Builds the real environment from the config and the command's options.
enum LiveEnvironment {
    /// How a command uses the database.
    enum Access {
        /// Creates the database (and the token key) when missing: commands that add or send.
        case write
        /// The database must exist; rows may change (a subscriber paused, sources synced).
        case existing
        /// The database must exist and is opened read-only; nothing is created or written.
        case read
    }

    /// The database file of this command, for naming it in an error met after opening.
    nonisolated(unsafe) static var databasePath: String?

    /// - Parameter lock: take the run lock (commands that write: run, fetch, send, import…).
    ///   It is held until the process ends.
    /// - Parameter dryRun: work on an in-memory copy of the database, with a transport that
    ///   only counts: nothing on disk changes and nothing is sent.
    /// - Parameter progress: where fetching and sending report how far they got (a terminal's bar).
    static func make(
        _ options: GlobalOptions, access: Access = .write, lock command: String? = nil, dryRun: Bool = false,
        progress: TerminalProgress? = nil
    ) throws -> (GazetteConfig, AppEnvironment) {
        let (config, environment, _) = try makeWithCatalog(options, access: access, lock: command, dryRun: dryRun, progress: progress)
        return (config, environment)
    }

    /// `make`, also returning the list catalog. The config returned holds every list in
    /// effect: the config's own and those made with `gazette lists add`. Each disagreement
    /// between the two is one warning line on stderr.
    static func makeWithCatalog(
        _ options: GlobalOptions, access: Access = .write, lock command: String? = nil, dryRun: Bool = false,
        progress: TerminalProgress? = nil
    ) throws -> (GazetteConfig, AppEnvironment, ListCatalog) {
        var config = try ConfigLoader.load(path: options.configPath, environment: ProcessInfo.processInfo.environment)
        if let database = options.database { config.databasePath = database }
        if let templates = options.templates { config.templatesFolder = templates }
        LoggingSystem.bootstrapOnce(verbose: options.verbose, json: options.logFormat == "json")
        databasePath = config.databasePath
        if let command {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: config.databasePath).deletingLastPathComponent(), withIntermediateDirectories: true)
            heldLock = try RunLock(path: RunLock.path(forDatabase: config.databasePath), command: command)
        }
        if dryRun { config.retryDelays = [] }
        let environment = AppEnvironment(
            database: try openDatabase(config.databasePath, access: access, dryRun: dryRun),
            http: CurlHTTPClient(settings: config.fetch),
            transport: dryRun ? CountingTransport() : config.delivery.makeTransport(),
            templates: try DigestTemplates.load(overrideDirectory: config.templatesFolder),
            logger: Logger(label: "gazette"),
            signingKey: try SigningKey.load(
                environment: ProcessInfo.processInfo.environment, file: config.tokenKeyFile, create: access == .write && !dryRun),
            progress: { update in progress?.update(update) },
            checkpoint: try TestKillSwitch.fromEnvironment() ?? { _ in })
        // Secrets readable by others are worth a line on every command, not only in `doctor`.
        for (file, what) in [(config.tokenKeyFile, "holds the key that signs unsubscribe links"), (config.passwordFile, "holds the SMTP password")] {
            if let file, let warning = FileMode.of(path: file)?.exposure(of: file, holding: what) { GazetteExit.printError("warning: " + warning) }
        }
        let catalog = try ListCatalog.load(config: config, database: environment.database)
        for warning in catalog.warnings { GazetteExit.printError("warning: " + warning) }
        return (config.including(catalog), environment, catalog)
    }

    private static func openDatabase(_ path: String, access: Access, dryRun: Bool) throws -> AppDatabase {
        if dryRun { return try AppDatabase.inMemoryCopy(ofFile: path) }
        switch access {
        case .write: return try AppDatabase.open(path: path)
        case .existing: return try AppDatabase.openExisting(path: path, readOnly: false)
        case .read: return try AppDatabase.openExisting(path: path, readOnly: true)
        }
    }
}

/// The run lock of this process, kept until it exits.
nonisolated(unsafe) private var heldLock: RunLock?

extension LoggingSystem {
    private static let bootstrapped = Mutex(false)

    /// Logs to stderr with --verbose. Without it the commands themselves print each problem
    /// once, as one `gazette: …` line, so logging stays quiet to avoid saying it twice.
    static func bootstrapOnce(verbose: Bool, json: Bool = false) {
        let first = bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        bootstrap { label in
            if json { return JSONLogHandler(label: label, logLevel: .info) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .info : .critical
            return handler
        }
    }
}

/// An error for the user, printed as is, with the exit code it ends the command with.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    let exitCode: ExitCode
    init(_ description: String, exitCode: ExitCode = GazetteExit.runFailed) {
        self.description = description
        self.exitCode = exitCode
    }
}
