import Foundation

/// "Did you mean": a misspelt key is named as written, at its line, with the key it was
/// probably meant to be.
extension TOMLKeyLocator {
    /// The keys written in the table that holds `path`'s last key (or at the top level), with
    /// their 1-based lines.
    static func writtenKeys(besides path: [Component], in text: String) -> [(key: String, line: Int)] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let tablePath = Array(path.dropLast())
        var start = 0
        if !tablePath.isEmpty {
            let header = line(of: tablePath, in: text)
            guard header > 0 else { return [] }
            start = header
        }
        var keys: [(key: String, line: Int)] = []
        for index in start..<lines.count {
            let line = lines[index]
            if line.hasPrefix("[") { break }
            guard !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            if !key.isEmpty { keys.append((key, index + 1)) }
        }
        return keys
    }

    /// Every key and table name the starter config (`gazette init`) shows, commented out or
    /// not: the names Gazette knows, for suggestions.
    static let knownKeys: Set<String> = {
        var keys = Set<String>()
        for raw in StarterConfig.text.split(separator: "\n") {
            var line = raw.trimmingCharacters(in: .whitespaces)
            while line.hasPrefix("#") { line = String(line.dropFirst()).trimmingCharacters(in: .whitespaces) }
            // Table names too, so `[delivry]` gets "did you mean delivery?".
            if line.hasPrefix("["), let close = line.firstIndex(of: "]") {
                let name = line[..<close].trimmingCharacters(in: CharacterSet(charactersIn: "[ "))
                if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0 == "_" }) { keys.insert(name) }
                continue
            }
            guard let equals = line.firstIndex(of: "="), !line.hasPrefix("[") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            if !key.isEmpty, key.allSatisfy({ $0.isLetter || $0 == "_" }) { keys.insert(key) }
        }
        return keys
    }()

    /// The known key closest to `key` (at most two edits away), if any.
    static func suggestion(for key: String, among candidates: Set<String> = knownKeys) -> String? {
        let scored = candidates.filter { $0 != key }.map { ($0, SubscriberAdmin.distance($0, key)) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }?.0
    }
}
