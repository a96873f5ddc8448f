/// Finds the malformed TOML that would crash TOMLKit's parser, before it sees it.
///
/// toml++ (inside TOMLKit) asserts, and so aborts the process in a debug build, on a few
/// malformed inputs that it otherwise reports as ordinary parse errors. Each was found by
/// fuzzing `ConfigLoader.parse`; each input is in Fuzz/Regressions/ConfigLoader:
/// - a table header whose name starts with a character that is neither a bare-key
///   character (ASCII letters, digits, `-`, `_`) nor a quote: `[ש]` or `[[é]]`, a likely
///   slip when section names are Hebrew, but also `[ = 1`, a control character after `[[`,
///   or a `[` alone at the end of a line;
/// - a `}` where an array expects a value, as in `retry_delays = [30,} 120]`.
enum TOMLCrashGuard {
    struct Problem: Equatable {
        /// 1-based, in characters (a leading byte-order mark not counted, as toml++ skips it).
        var line: Int
        var column: Int
        var reason: String
    }

    static let headerReason = "a table name that is not ASCII letters, digits, '-' or '_' must be in quotes, as in [\"name\"]"
    static let arrayReason = "expected a value or ']' here, saw '}'"

    /// The first place toml++ would assert on, if any.
    ///
    /// A line is a header only where toml++ reads one: at the start of a statement, so not
    /// inside a multi-line string or an array that spans lines (whose lines may well start
    /// with `[`, as in `[ {name = "a"} ]`). Strings and comments are skipped when following
    /// brackets and braces, so a `[` inside them opens nothing.
    static func firstProblem(in text: String) -> Problem? {
        var scanner = Scanner()
        for (number, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" }).enumerated() {
            var scalars = Array(line.unicodeScalars)
            if number == 0, scalars.first == "\u{FEFF}" { scalars.removeFirst() }
            if scanner.atStatementStart, let column = badHeaderColumn(scalars) {
                return Problem(line: number + 1, column: column, reason: headerReason)
            }
            if let column = scanner.scan(scalars) { return Problem(line: number + 1, column: column, reason: arrayReason) }
        }
        return nil
    }

    /// The 1-based column of the character after `[`/`[[` (and blanks) when that line is a
    /// header and the character is one toml++ asserts on.
    private static func badHeaderColumn(_ scalars: [Unicode.Scalar]) -> Int? {
        var index = skipBlanks(scalars, from: 0)
        guard index < scalars.count, scalars[index] == "[" else { return nil }
        index = skipBlanks(scalars, from: index + 1)
        if index < scalars.count, scalars[index] == "[" { index = skipBlanks(scalars, from: index + 1) }
        guard index < scalars.count else { return index + 1 }  // "[" then the end of the line
        let first = scalars[index]
        let allowed = ("a"..."z").contains(first) || ("A"..."Z").contains(first) || ("0"..."9").contains(first)
            || first == "-" || first == "_" || first == "\"" || first == "'" || first == "]"
        return allowed ? nil : index + 1
    }

    private static func skipBlanks(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
        return index
    }

    /// Carries what spans lines: an open multi-line string, the open arrays and inline
    /// tables, and whether an array is waiting for a value (after its `[` or a `,`).
    private struct Scanner {
        var multilineDelimiter: Unicode.Scalar?
        var open: [Unicode.Scalar] = []
        var arrayWantsValue = false

        var atStatementStart: Bool { multilineDelimiter == nil && open.isEmpty }

        /// Follows one line; returns the 1-based column of a `}` where an array wants a value.
        mutating func scan(_ scalars: [Unicode.Scalar]) -> Int? {
            var index = 0
            while index < scalars.count {
                let scalar = scalars[index]
                if let delimiter = multilineDelimiter {
                    if scalar == "\\" && delimiter == "\"" {
                        index += 2
                        continue
                    }
                    if isTriple(delimiter, scalars, at: index) {
                        multilineDelimiter = nil
                        index += 3
                    } else {
                        index += 1
                    }
                    continue
                }
                if scalar == " " || scalar == "\t" || scalar == "\r" {
                    index += 1
                    continue
                }
                if scalar == "#" { return nil }
                if scalar == "}", arrayWantsValue, open.last == "[" { return index + 1 }
                arrayWantsValue = false
                switch scalar {
                case "\"", "'":
                    if isTriple(scalar, scalars, at: index) {
                        multilineDelimiter = scalar
                        index += 3
                        continue
                    }
                    index += 1
                    while index < scalars.count, scalars[index] != scalar {
                        index += scalar == "\"" && scalars[index] == "\\" ? 2 : 1
                    }
                case "[", "{":
                    open.append(scalar)
                    arrayWantsValue = scalar == "["
                case "]", "}":
                    if !open.isEmpty { open.removeLast() }
                case ",":
                    arrayWantsValue = open.last == "["
                default:
                    break
                }
                index += 1
            }
            return nil
        }

        private func isTriple(_ delimiter: Unicode.Scalar, _ scalars: [Unicode.Scalar], at index: Int) -> Bool {
            index + 2 < scalars.count && scalars[index] == delimiter && scalars[index + 1] == delimiter && scalars[index + 2] == delimiter
        }
    }
}
