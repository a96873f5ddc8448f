import Foundation
import GazetteModel

/// Removing, disabling and enabling a source in the config file, line by line, so that every
/// other line (comments, layout, the other tables) stays as the editor wrote it.
extension ConfigEditor {
    /// Removes the `[[sources]]` table named `name`. Comment lines just above the next table
    /// stay with it: they describe that table.
    public static func removeSource(named name: String, fromConfigAt path: String) throws -> GazetteConfig {
        try editSource(named: name, atConfigAt: path) { lines, block in
            var end = block.upperBound
            while end > block.lowerBound + 1, isBlankOrComment(lines[end - 1]) { end -= 1 }
            lines.removeSubrange(block.lowerBound..<end)
        }
    }

    /// Sets `enabled = false` in the source's table (a disabled source stays in the config,
    /// is listed by `gazette sources`, and is not fetched), or removes it to enable it again.
    public static func setSource(named name: String, enabled: Bool, atConfigAt path: String) throws -> GazetteConfig {
        try editSource(named: name, atConfigAt: path) { lines, block in
            let existing = block.first { key(of: lines[$0]) == "enabled" }
            switch (existing, enabled) {
            case (let line?, true): lines.remove(at: line)
            case (let line?, false): lines[line] = "enabled = false"
            case (nil, false):
                let after = block.first { key(of: lines[$0]) == "name" } ?? block.lowerBound
                lines.insert("enabled = false", at: after + 1)
            case (nil, true): break
            }
        }
    }

    /// Finds the source's table, lets `change` edit the lines, writes the file back (same
    /// permissions) and reads it again; a config that no longer loads is put back as it was.
    private static func editSource(
        named name: String, atConfigAt path: String, _ change: (inout [String], Range<Int>) -> Void
    ) throws -> GazetteConfig {
        let original = try String(contentsOfFile: path, encoding: .utf8)
        var lines = original.components(separatedBy: "\n")
        guard let block = sourceTable(named: name, in: lines) else {
            let config = try ConfigLoader.load(path: path)
            let known = (config.sources + config.disabledSources).map(\.name)
            throw AdminError.noSuchSource(name: name, known: known)
        }
        change(&lines, block)
        return try rewrite(path: path, original: original, with: lines.joined(separator: "\n"))
    }

    /// Writes `text` over the config at `path` (keeping its permissions), then loads it; if
    /// it no longer loads, the original is written back and the error thrown.
    static func rewrite(path: String, original: String, with text: String) throws -> GazetteConfig {
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        if let permissions { try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: path) }
        do {
            return try ConfigLoader.load(path: path)
        } catch {
            try original.write(toFile: path, atomically: true, encoding: .utf8)
            throw error
        }
    }

    /// The line range of the `[[sources]]` table whose `name` is `name`: from its header up
    /// to the next table's header (or the end).
    static func sourceTable(named name: String, in lines: [String]) -> Range<Int>? {
        let headers = lines.indices.filter { isHeader(lines[$0]) }
        for (position, header) in headers.enumerated() where tableName(lines[header]) == "[[sources]]" {
            let end = position + 1 < headers.count ? headers[position + 1] : lines.count
            let block = header..<end
            if block.contains(where: { key(of: lines[$0]) == "name" && stringValue(of: lines[$0]) == name }) { return block }
        }
        return nil
    }

    private static func isHeader(_ line: String) -> Bool {
        line.trimmingCharacters(in: .whitespaces).hasPrefix("[")
    }

    /// `[[sources]]` from `  [[ sources ]]  # the wire`.
    private static func tableName(_ line: String) -> String {
        let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return code.filter { !$0.isWhitespace }
    }

    private static func isBlankOrComment(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed.hasPrefix("#")
    }

    /// The bare key a `key = value` line sets, if it is one.
    private static func key(of line: String) -> String? {
        guard let equals = line.firstIndex(of: "="), !isBlankOrComment(line) else { return nil }
        return line[..<equals].trimmingCharacters(in: .whitespaces)
    }

    /// The string a `key = "value"` or `key = 'value'` line holds (basic escapes undone).
    private static func stringValue(of line: String) -> String? {
        guard let equals = line.firstIndex(of: "=") else { return nil }
        let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard let quote = value.first, quote == "\"" || quote == "'" else { return nil }
        var result = ""
        var escaped = false
        for character in value.dropFirst() {
            if escaped {
                result.append(character == "n" ? "\n" : character == "t" ? "\t" : character)
                escaped = false
            } else if character == "\\" && quote == "\"" {
                escaped = true
            } else if character == quote {
                return result
            } else {
                result.append(character)
            }
        }
        return nil
    }
}

extension ConfigEditor {
    /// A source to append: what `sources add` and `sources import` write.
    public struct NewSource: Sendable, Hashable {
        public var name: String
        public var feed: String
        public var site: String?
        public var backfill: Int
        /// Folders from a feed reader's OPML, kept for `sources export`.
        public var folders: [String]
        /// Its article pages carry sections or tags the feed lacks (`sources add` looked).
        public var enrich: Bool

        public init(name: String, feed: String, site: String? = nil, backfill: Int = 0, folders: [String] = [], enrich: Bool = false) {
            self.enrich = enrich
            self.name = name
            self.feed = feed
            self.site = site
            self.backfill = backfill
            self.folders = folders
        }

        /// Its `[[sources]]` table.
        var block: String {
            var lines = ["", "[[sources]]", "name = \(tomlString(name))", "feed = \(tomlString(feed))"]
            if let site { lines.append("site = \(tomlString(site))") }
            lines.append("backfill = \(backfill)")
            if enrich { lines.append("enrich = true  # its article pages carry sections or tags the feed lacks") }
            if !folders.isEmpty { lines.append("folder = \(tomlString(folders.joined(separator: " / ")))") }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// Appends several sources in one write; names and feeds already in the config are refused
    /// before anything is written.
    public static func appendSources(_ sources: [NewSource], toConfigAt path: String) throws -> GazetteConfig {
        let original = try String(contentsOfFile: path, encoding: .utf8)
        let config = try ConfigLoader.load(path: path)
        let existing = config.sources + config.disabledSources
        for source in sources {
            if let clash = existing.first(where: { $0.name == source.name || $0.feedURL == source.feed }) {
                throw AdminError.sourceExists(feed: source.feed, existing: clash.name)
            }
        }
        let separator = original.hasSuffix("\n") || original.isEmpty ? "" : "\n"
        return try rewrite(path: path, original: original, with: original + separator + sources.map(\.block).joined())
    }
}
