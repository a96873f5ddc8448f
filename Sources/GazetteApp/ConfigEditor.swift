import Foundation
import GazetteModel

/// Adds to the config file without rewriting it: comments and layout stay as the editor wrote them.
public enum ConfigEditor {
    /// The TOML block for one source.
    public static func sourceBlock(name: String, feed: String, backfill: Int) -> String {
        """

        [[sources]]
        name = \(tomlString(name))
        feed = \(tomlString(feed))
        backfill = \(backfill)

        """
    }

    /// Appends a source to the config at `path`, then reads the config back; if it no longer
    /// loads, the file is restored and the error thrown.
    public static func appendSource(name: String, feed: String, backfill: Int, toConfigAt path: String) throws -> GazetteConfig {
        let original = try String(contentsOfFile: path, encoding: .utf8)
        let config = try ConfigLoader.load(path: path)
        if config.sources.contains(where: { $0.name == name }) {
            throw AdminError.alreadyExists("\(path): a source named '\(name)' already exists; pick another --name")
        }
        if let existing = config.sources.first(where: { $0.feedURL == feed }) {
            throw AdminError.alreadyExists("\(path): \(feed) is already the source '\(existing.name)'")
        }
        let separator = original.hasSuffix("\n") ? "" : "\n"
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]
        try (original + separator + sourceBlock(name: name, feed: feed, backfill: backfill)).write(toFile: path, atomically: true, encoding: .utf8)
        if let permissions { try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: path) }
        do {
            return try ConfigLoader.load(path: path)
        } catch {
            try original.write(toFile: path, atomically: true, encoding: .utf8)
            throw error
        }
    }

    static func tomlString(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: escaped += String(format: "\\u%04X", scalar.value)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return "\"" + escaped + "\""
    }
}
