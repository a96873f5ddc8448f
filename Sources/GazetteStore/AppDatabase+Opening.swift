import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension AppDatabase {
    /// Opens a database file that must already exist, for commands that only read it (or only
    /// change rows in it): a mistyped `--database` never leaves an empty database behind.
    ///
    /// With `readOnly` the connection is SQLite's read-only one, so nothing in the file, not even
    /// GRDB's own bookkeeping, is written; a file whose migrations are pending is then opened
    /// for writing only to migrate it, as any other command would.
    /// - Throws: `StoreError.missingDatabase` or `.unusableDatabase` with a plain reason.
    public static func openExisting(path: String, readOnly: Bool) throws(StoreError) -> AppDatabase {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw .missingDatabase(path: path) }
        if isFolder.boolValue { throw .unusableDatabase(path: path, reason: "it is a folder, not a database file") }
        do {
            guard readOnly else { return try open(path: path) }
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(10)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            if try queue.read({ db in try migrator.hasCompletedMigrations(db) }) {
                return AppDatabase(unmigrated: queue)
            }
            try queue.close()
            return try open(path: path)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .unusableDatabase(path: path, reason: plainReason(error))
        }
    }

    /// Creates the file with mode 0600 before SQLite opens it: it holds subscribers' addresses,
    /// and SQLite gives its `-wal` and `-shm` files the database file's own mode.
    static func createPrivately(path: String) {
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 { close(descriptor) }
    }

    /// One plain line for a failure SQLite or GRDB reports about the database file: never
    /// the SQL statement or the library's own wording.
    public static func plainReason(_ error: any Error) -> String {
        guard let error = error as? DatabaseError else {
            return (error as? StoreError)?.description ?? "it cannot be opened"
        }
        switch error.resultCode {
        case .SQLITE_NOTADB: return "it is not an SQLite database; check --database, or restore it from a backup"
        case .SQLITE_CORRUPT: return "the file is damaged; restore it from a backup"
        case .SQLITE_READONLY: return "it is read-only for this user; check its owner and mode and its folder's"
        case .SQLITE_BUSY, .SQLITE_LOCKED: return "another process holds it locked; try again later"
        case .SQLITE_CANTOPEN: return "it cannot be opened; check that its folder exists and is readable"
        case .SQLITE_PERM, .SQLITE_AUTH: return "this user may not open it; check its owner and mode"
        case .SQLITE_FULL: return "the disk is full"
        case .SQLITE_IOERR: return "the disk reported an input/output error"
        default: return "SQLite could not use it (code \(error.resultCode.primaryResultCode.rawValue))"
        }
    }

    /// A database failure met in the middle of a command, as a `StoreError` naming the file,
    /// or nil when `error` did not come from the database.
    public static func storeError(for error: any Error, path: String) -> StoreError? {
        guard error is DatabaseError else { return nil }
        return .unusableDatabase(path: path, reason: plainReason(error))
    }
}
