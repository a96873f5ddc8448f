import Foundation
import GazetteModel

/// Adds to the config file without rewriting it: comments and layout stay as the editor wrote them.
public enum ConfigEditor {
    /// The TOML block for one source.
    public static func sourceBlock(name: String, feed: String, backfill: Int, enrich: Bool = false) -> String {
        NewSource(name: name, feed: feed, backfill: backfill, enrich: enrich).block
    }

    /// Appends a source to the config at `path`, then reads the config back; if it no longer
    /// loads, the file is restored and the error thrown.
    public static func appendSource(name: String, feed: String, backfill: Int, enrich: Bool = false, toConfigAt path: String) throws
        -> GazetteConfig
    {
        try appendSources([NewSource(name: name, feed: feed, backfill: backfill, enrich: enrich)], toConfigAt: path)
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
