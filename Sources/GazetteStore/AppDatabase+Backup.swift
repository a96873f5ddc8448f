import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension AppDatabase {
    /// Copies the database to `path` with SQLite's online backup, while other connections
    /// (a `gazette run` in another process) go on reading and writing: the copy is one
    /// consistent moment of the database.
    ///
    /// The copy is written beside `path` under a temporary name, checked with
    /// `PRAGMA integrity_check`, and only then renamed into place, so `path` is never a
    /// half-written database. The copy is created with mode 0600, like the database.
    /// - Returns: the size of the copy in bytes.
    @discardableResult
    public func backup(toFile path: String) throws -> Int64 {
        let destination = URL(fileURLWithPath: path)
        let temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).partial")
        try? FileManager.default.removeItem(at: temporary)
        do {
            Self.createPrivately(path: temporary.path)
            let copy = try DatabaseQueue(path: temporary.path)
            try writer.backup(to: copy)
            let verdict = try copy.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
            try copy.close()
            guard verdict == "ok" else { throw StoreError.unusableDatabase(path: temporary.path, reason: "the copy failed its integrity check: \(verdict ?? "?")") }
            // One rename(2), over a file that is there or not: Foundation's `replaceItemAt`
            // fails on Linux with "no such file" for a plain file, and is no more atomic.
            guard rename(temporary.path, destination.path) == 0 else {
                throw StoreError.unusableDatabase(
                    path: destination.path, reason: "the copy cannot be put in place: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: destination.path)
        return (attributes[.size] as? NSNumber)?.int64Value ?? 0
    }
}
