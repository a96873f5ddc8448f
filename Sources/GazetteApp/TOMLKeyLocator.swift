import Foundation
/// Finds the line a key sits on in TOML text, so config errors can point at it.
///
/// TOMLKit reports lines for syntax errors only; for a wrong value or a missing key we know
/// the key path (`lists[1].sender_address`) and look it up in the text: the n-th `[[lists]]`
/// header, then the key inside that table. A missing key points at its table's header.
enum TOMLKeyLocator {
    enum Component: Equatable {
        case key(String)
        case index(Int)

        init(_ codingKey: any CodingKey) {
            if let index = codingKey.intValue { self = .index(index) } else { self = .key(codingKey.stringValue) }
        }
    }

    /// `lists[1].sender_address`
    static func describe(_ path: [Component]) -> String {
        var result = ""
        for component in path {
            switch component {
            case .key(let key): result += (result.isEmpty ? "" : ".") + key
            case .index(let index): result += "[\(index)]"
            }
        }
        return result
    }

    /// The 1-based line of the key at `path`, or of the nearest table that holds it (0 if none).
    static func line(of path: [Component], in text: String) -> Int {
        locate(path, in: text).line
    }

    /// True when the key at `path` is written in the text (its table's header does not count).
    static func isWritten(_ path: [Component], in text: String) -> Bool {
        locate(path, in: text).exact
    }

    /// A coding path with a repeated last key removed: TOMLKit reports `name.name` for `name`.
    static func normalized(_ path: [Component]) -> [Component] {
        guard path.count >= 2, path[path.count - 1] == path[path.count - 2] else { return path }
        return Array(path.dropLast())
    }

    private static func locate(_ path: [Component], in text: String) -> (line: Int, exact: Bool) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        // Split the path into a table header and the key inside it.
        var table = ""
        var arrayIndex: Int?
        var key: String?
        var remaining = path[...]
        if case .key(let first)? = remaining.first, path.count > 1 {
            remaining = remaining.dropFirst()
            if case .index(let index)? = remaining.first {
                arrayIndex = index
                remaining = remaining.dropFirst()
            }
            table = first
            if case .key(let inner)? = remaining.first { key = inner }
        } else if case .key(let only)? = remaining.first {
            key = only
        }
        // Find the table's header (the n-th one for arrays of tables), then the key after it.
        var start = 0
        var end = lines.count
        if !table.isEmpty {
            let header = arrayIndex == nil ? "[\(table)]" : "[[\(table)]]"
            let headers = lines.indices.filter { lines[$0].replacingOccurrences(of: " ", with: "") == header }
            let candidate: Int?
            if let arrayIndex {
                candidate = arrayIndex < headers.count ? headers[arrayIndex] : nil
            } else {
                candidate = headers.first
            }
            guard let found = candidate else { return (0, false) }
            start = found
            end = lines[(found + 1)...].firstIndex { $0.hasPrefix("[") } ?? lines.count
        } else {
            end = lines.firstIndex { $0.hasPrefix("[") } ?? lines.count
        }
        if let key {
            for index in start..<end where lines[index].hasPrefix(key) {
                let rest = lines[index].dropFirst(key.count).drop { $0 == " " || $0 == "\t" }
                if rest.first == "=" { return (index + 1, true) }
            }
        }
        // A top-level name that is no `key =` line may be a table: `[delivry]`, `[[list]]`.
        if table.isEmpty, let key {
            let headers = ["[\(key)]", "[[\(key)]]"]
            if let index = lines[end...].firstIndex(where: { headers.contains($0.replacingOccurrences(of: " ", with: "")) }) {
                return (index + 1, true)
            }
        }
        return (table.isEmpty && key != nil ? 0 : start + 1, false)
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string in quotes"
        case is Int.Type: "a whole number"
        case is Bool.Type: "true or false"
        default: "a \(type)"
        }
    }
}
