import Foundation

/// A file a command writes for the user (an OPML export): never a folder, never an existing
/// file without `--force`, and never half-written: the bytes go to a file beside it, are
/// synced, then renamed over it.
enum OutputFile {
    static func write(_ data: Data, to path: String, force: Bool) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            if isFolder.boolValue {
                throw CLIError("\(path) is a folder; name a file to write (nothing was changed)", exitCode: GazetteExit.noInput)
            }
            guard force else { throw CLIError("\(path) exists; add --force to replace it", exitCode: GazetteExit.conflict) }
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o644]) else {
            throw CLIError("cannot write \(path): its folder does not exist or is not writable", exitCode: GazetteExit.noInput)
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary.path, url.path) == 0 else { throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))") }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
