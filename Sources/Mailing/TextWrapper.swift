/// Wraps plain text for the email's text part.
enum TextWrapper {
    /// Wraps every line longer than `width` at spaces, keeping the line's indentation on its
    /// continuation lines. Words longer than a line (URLs) are left whole, never broken, and
    /// stay beside their label ("[3] https://…") rather than moving to a line of their own.
    static func wrap(_ text: String, width: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { wrapLine(Substring($0), width: width) }
            .joined(separator: "\n")
    }

    private static func wrapLine(_ line: Substring, width: Int) -> String {
        guard line.count > width else { return String(line) }
        let indent = String(line.prefix { $0 == " " })
        var lines: [String] = []
        var current = indent
        for word in line.dropFirst(indent.count).split(separator: " ") {
            let fitsOnAFreshLine = indent.count + word.count <= width
            if current.count > indent.count, current.count + 1 + word.count > width, fitsOnAFreshLine {
                lines.append(current)
                current = indent
            }
            current += (current.count > indent.count ? " " : "") + word
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }
}
