/// A config that cannot be used. Every description names the file, and the line and key
/// when there is one, and says what to do.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingFile(path: String)
    case unreadable(path: String, reason: String)
    case syntax(file: String, line: Int, column: Int, reason: String)
    case invalid(file: String, line: Int, key: String, reason: String)
    case unknownList(name: String, known: [String], file: String)
    /// More than one problem, in line order; each keeps its own line of the message.
    case several([ConfigError], notShown: Int)

    /// The line a problem is at, for ordering; 0 when it has none.
    var line: Int {
        switch self {
        case .syntax(_, let line, _, _), .invalid(_, let line, _, _): line
        case .several(let problems, _): problems.first?.line ?? 0
        default: 0
        }
    }

    public var description: String {
        switch self {
        case .missingFile(let path):
            "config: \(path) does not exist; create one with `gazette init` or pass --config FILE"
        case .unreadable(let path, let reason):
            "config: cannot read \(path): \(reason)"
        case .syntax(let file, let line, let column, let reason):
            "config: \(file), line \(line), column \(column): \(reason)"
        case .invalid(let file, let line, let key, let reason):
            "config: \(file), line \(line), key \(key): \(reason)"
        case .unknownList(let name, let known, let file):
            "config: \(file) has no list named '\(name)'"
                + (known.isEmpty ? "; add a [[lists]] table" : "; its lists are: \(known.joined(separator: ", "))")
        case .several(let problems, let notShown):
            (problems.map(\.description) + (notShown > 0 ? ["config: and \(notShown) more problems; fix these first"] : []))
                .joined(separator: "\n")
        }
    }
}
