/// Finds what would crash TOMLKit's parser before it sees it.
///
/// toml++ (inside TOMLKit) asserts, and so aborts the process in a debug build, when a
/// table header's name starts with a character that is neither a bare-key character
/// (ASCII letters, digits, `-`, `_`) nor a quote: `[ש]` or `[[é]]`, a likely slip when
/// section names are Hebrew, but also `[ = 1`, `[[` followed by a control character, or a
/// `[` alone at the end of a line. Elsewhere such text gets an ordinary parse error.
/// Found by fuzzing `ConfigLoader.parse` (twice: non-ASCII first, then the rest).
enum TOMLHeaderCheck {
    /// The 1-based line and column of the first table header whose name starts with a
    /// character toml++ cannot handle there.
    ///
    /// A line is a header only where toml++ would read one: at the start of a statement,
    /// so not inside a multi-line string or inside an array value that spans lines (whose
    /// lines may well start with `[`, as in `[ {name = "a"} ]`). Strings and comments are
    /// skipped when counting brackets, so a `[` inside them does not open an array.
    static func unsafeHeader(in text: String) -> (line: Int, column: Int)? {
        var scanner = Scanner()
        for (number, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" }).enumerated() {
            let scalars = Array(line.unicodeScalars)
            if scanner.atStatementStart, let column = badHeaderColumn(scalars) { return (number + 1, column) }
            scanner.scan(scalars)
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
        let allowed = ("a"..."z").contains(first) || ("A"..."Z").contains(first)
            || ("0"..."9").contains(first) || first == "-" || first == "_" || first == "\"" || first == "'" || first == "]"
        return allowed ? nil : index + 1
    }

    private static func skipBlanks(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
        return index
    }

    /// Carries what spans lines: an open multi-line string, and open brackets of array values.
    private struct Scanner {
        var multilineDelimiter: Unicode.Scalar?
        var openBrackets = 0

        var atStatementStart: Bool { multilineDelimiter == nil && openBrackets == 0 }

        mutating func scan(_ scalars: [Unicode.Scalar]) {
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
                switch scalar {
                case "#":
                    return
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
                    index += 1
                case "[":
                    openBrackets += 1
                    index += 1
                case "]":
                    openBrackets = max(0, openBrackets - 1)
                    index += 1
                default:
                    index += 1
                }
            }
        }

        private func isTriple(_ delimiter: Unicode.Scalar, _ scalars: [Unicode.Scalar], at index: Int) -> Bool {
            index + 2 < scalars.count && scalars[index] == delimiter && scalars[index + 1] == delimiter && scalars[index + 2] == delimiter
        }
    }
}
