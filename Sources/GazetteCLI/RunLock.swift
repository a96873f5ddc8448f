import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One writing run at a time: an exclusive `flock` on a file beside the database, held for
/// the life of the process. The kernel drops it when the process ends, however it ends, so
/// a crashed run never leaves a stale lock. Commands that only read never take it.
final class RunLock {
    private let descriptor: Int32

    /// Who holds the lock, as the holder wrote it: "pid 4242, gazette run, since …".
    struct Held: Error, CustomStringConvertible {
        let path: String
        let holder: String
        var description: String {
            "another gazette run holds \(path) (\(holder.isEmpty ? "holder unknown" : holder)); it will finish on its own, try again later"
        }
    }

    /// Takes the lock at `path`, or throws `Held` at once without waiting.
    init(path: String, command: String) throws {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw CLIError("cannot open the lock file \(path): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(descriptor)
            throw Held(path: path, holder: holder)
        }
        let note = "pid \(getpid()), gazette \(command), since \(Date().formatted(.iso8601))\n"
        _ = ftruncate(descriptor, 0)
        _ = note.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        self.descriptor = descriptor
    }

    deinit {
        _ = ftruncate(descriptor, 0)
        close(descriptor)
    }

    /// The lock file for a database: `gazette.sqlite` → `gazette.sqlite.lock`.
    static func path(forDatabase database: String) -> String { database + ".lock" }
}
