import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file Gazette writes for the user (an export, a backup, a starter config, a preview's
/// HTML): always a regular file, replaced only when asked, and never seen half-written.
///
/// The content goes to a temporary file beside the target, is flushed to disk with `fsync`,
/// and only then renamed over the target, so a crash or a full disk leaves the old file (or
/// none) and a folder of the same name is never touched.
public struct OutputFile: Sendable {
    public let path: String
    /// Replace a file that is already there.
    public var force: Bool
    /// Permission bits of the new file; the umask can only make them stricter.
    public var mode: mode_t

    public init(path: String, force: Bool = false, mode: mode_t = 0o644) {
        self.path = path
        self.force = force
        self.mode = mode
    }

    /// Refuses a folder, a missing parent folder, or an existing file without `force`.
    /// Called before any work, so a refused command has done nothing.
    public func check() throws(OutputFileError) {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            if isFolder.boolValue { throw .isFolder(path: path) }
            if !force { throw .exists(path: path) }
        }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: parent, isDirectory: &isFolder) || !isFolder.boolValue {
            throw .cannotWrite(path: path, reason: "the folder \(parent) does not exist")
        }
    }

    /// The temporary name beside the target that `write` fills before the rename.
    public var temporaryPath: String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).partial").path
    }

    /// Writes the file through `body`, then makes it the target in one rename.
    /// - Returns: what `body` returns.
    @discardableResult
    public func write<T>(_ body: (FileHandle) throws -> T) throws -> T {
        try check()
        let temporary = temporaryPath
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw OutputFileError.cannotWrite(path: path, reason: Self.reason(errno)) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            let result = try body(handle)
            try finish(temporary: temporary, descriptor: descriptor)
            try handle.close()
            return result
        } catch {
            try? handle.close()
            unlink(temporary)
            throw error
        }
    }

    /// Writes `data` as the whole file.
    public func write(_ data: Data) throws {
        try write { handle in try handle.write(contentsOf: data) }
    }

    /// Moves a finished temporary file (one a library wrote, such as SQLite's backup) into place
    /// with the file's mode, flushed, by one rename.
    public func install(from temporary: String) throws {
        try check()
        chmod(temporary, mode)
        let descriptor = open(temporary, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw OutputFileError.cannotWrite(path: path, reason: Self.reason(errno)) }
        defer { close(descriptor) }
        try finish(temporary: temporary, descriptor: descriptor)
    }

    private func finish(temporary: String, descriptor: Int32) throws {
        guard fsync(descriptor) == 0 else { throw OutputFileError.cannotWrite(path: path, reason: Self.reason(errno)) }
        // A folder created meanwhile under the target's name stays as it is: rename refuses it.
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            if code == EISDIR || code == ENOTEMPTY || code == EEXIST { throw OutputFileError.isFolder(path: path) }
            throw OutputFileError.cannotWrite(path: path, reason: Self.reason(code))
        }
        let folder = open(URL(fileURLWithPath: path).deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}

/// Why a file Gazette was asked to write was not written. Each leaves the target as it was.
public enum OutputFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case isFolder(path: String)
    case exists(path: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .isFolder(let path): "\(path) is a folder; name a file to write (nothing was changed)"
        case .exists(let path): "\(path) exists; pass --force to replace it"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}
