import Foundation

/// The committed inputs of one fuzz target: the seed corpus (`Fuzz/Corpus/<name>/`) and
/// every input that once crashed or broke an invariant (`Fuzz/Regressions/<name>/`).
public enum FuzzCorpus {
    /// The files, sorted by path, with their bytes.
    /// - Parameter root: the repository's root folder.
    /// - Throws: when a folder cannot be listed or a file read.
    public static func inputs(of check: any FuzzCheck.Type, root: URL) throws -> [(path: String, data: Data)] {
        var inputs: [(path: String, data: Data)] = []
        for folder in ["Fuzz/Corpus", "Fuzz/Regressions"] {
            let directory = root.appendingPathComponent(folder).appendingPathComponent(check.name)
            guard FileManager.default.fileExists(atPath: directory.path) else { continue }
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() where !name.hasPrefix(".") {
                let file = directory.appendingPathComponent(name)
                inputs.append((folder + "/" + check.name + "/" + name, try Data(contentsOf: file)))
            }
        }
        return inputs
    }
}
