/// Finds what would crash TOMLKit's parser before it sees it.
///
/// toml++ (inside TOMLKit) asserts, and so aborts the process in a debug build, when a
/// table header's name starts with a character that is neither a bare-key character nor a
/// quote: `[ש]` or `[[é]]`, a likely slip when section names are Hebrew. Elsewhere such keys
/// get an ordinary parse error. Found by fuzzing `ConfigLoader.parse`.
enum TOMLHeaderCheck {
    /// The 1-based line and column of the first such header name, skipping multi-line strings.
    static func unquotedNonASCIIHeader(in text: String) -> (line: Int, column: Int)? {
        var inMultilineString = false
        for (number, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" }).enumerated() {
            // A naive toggle on each delimiter is enough here: a false alarm needs a line
            // starting with "[" and a non-ASCII letter inside an odd string, a crash does not.
            let delimiters = line.matches(of: /"""|'''/).count
            defer { if delimiters % 2 == 1 { inMultilineString.toggle() } }
            if inMultilineString { continue }
            let scalars = Array(line.unicodeScalars)
            var index = 0
            while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
            guard index < scalars.count, scalars[index] == "[" else { continue }
            index += 1
            if index < scalars.count, scalars[index] == "[" { index += 1 }
            while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
            if index < scalars.count, !scalars[index].isASCII { return (number + 1, index + 1) }
        }
        return nil
    }
}
