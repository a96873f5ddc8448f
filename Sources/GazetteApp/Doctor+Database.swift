import Foundation
import GazetteStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Doctor {
    /// The database file: readable, intact, migrated, in WAL mode, writable and private.
    /// Read-only: a missing file is not created, a pending migration not applied.
    func database(_ config: GazetteConfig) -> (checks: [DoctorCheck], inspection: DatabaseInspection?) {
        let path = config.databasePath
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: path) else {
            if FileManager.default.fileExists(atPath: folder), access(folder, W_OK) != 0 {
                return ([DoctorCheck(.fail, "database", "\(folder) is not writable by this user, so \(path) cannot be created there; "
                    + "fix the folder's owner or set `database` to a writable place")], nil)
            }
            return ([DoctorCheck(.warn, "database", "\(path) does not exist yet; `gazette run` or `gazette subscribers add` creates it")], nil)
        }
        let inspection: DatabaseInspection
        do {
            inspection = try AppDatabase.inspect(path: path)
        } catch {
            return ([DoctorCheck(.fail, "database", error.description)], nil)
        }
        var checks: [DoctorCheck] = []
        if inspection.isHealthy {
            checks.append(DoctorCheck(.ok, "database", "\(path): integrity check passed"))
        } else {
            let problems = inspection.integrityProblems.prefix(3).joined(separator: "; ")
            checks.append(DoctorCheck(.fail, "database", "\(path) is damaged (\(problems)); restore it from a backup"))
        }
        if !inspection.unknownMigrations.isEmpty {
            checks.append(DoctorCheck(
                .fail, "database",
                "\(path) was written by a newer Gazette (\(inspection.unknownMigrations.joined(separator: ", "))); upgrade gazette"))
        } else if !inspection.pendingMigrations.isEmpty {
            checks.append(DoctorCheck(
                .warn, "database",
                "\(inspection.pendingMigrations.count) migration(s) not applied yet (\(inspection.pendingMigrations[0])…); "
                    + "the next run applies them: back up \(path) first"))
        } else {
            checks.append(DoctorCheck(.ok, "database", "schema is current"))
        }
        if inspection.journalMode == "wal" {
            checks.append(DoctorCheck(.ok, "database", "WAL mode"))
        } else {
            checks.append(DoctorCheck(
                .warn, "database", "journal mode is \(inspection.journalMode), not WAL; the next run switches it (readers then never wait)"))
        }
        checks.append(permissions(path: path, folder: folder))
        return (checks, inspection)
    }

    /// The file and its folder writable (SQLite puts the -wal and -shm files and the run lock
    /// beside it); the file private, as it holds subscribers' addresses.
    private func permissions(path: String, folder: String) -> DoctorCheck {
        if access(path, W_OK) != 0 {
            return DoctorCheck(.fail, "database", "\(path) is not writable by this user; run gazette as the file's owner or fix its owner")
        }
        if access(folder, W_OK) != 0 {
            return DoctorCheck(
                .fail, "database", "\(folder) is not writable by this user; SQLite needs it for the -wal and -shm files, and the run for its lock")
        }
        guard let mode = FileMode.of(path: path) else { return DoctorCheck(.fail, "database", "cannot read the mode of \(path)") }
        if let warning = mode.exposure(of: path, holding: "holds subscribers' addresses") { return DoctorCheck(.warn, "database", warning) }
        return DoctorCheck(.ok, "database", "writable, mode \(mode.octal)")
    }
}
