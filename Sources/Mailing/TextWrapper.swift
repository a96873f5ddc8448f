/// Wraps plain text for the email's text part, by display width.
public enum TextWrapper {
    /// Wraps every line wider than `width` columns at spaces, keeping the line's indentation
    /// on its continuation lines. Widths count East Asian characters as two columns and
    /// combining marks as none (`DisplayWidth`). Words are never broken: a word wider than a
    /// line (a URL) stays whole, and a link is never parted from its number ("[3] https://…"). Only U+0020 breaks: a no-break space (U+00A0) keeps
    /// a tag name of several words whole. Text without spaces (Chinese, Japanese) may break
    /// between any two characters.
    public static func wrap(_ text: String, width: Int) -> String {
        // Without a CR, every LF is a character of its own, so lines split by byte exactly as
        // by character; the character split was most of wrapping a 60-article digest (perf).
        guard !text.utf8.contains(0x0D) else {
            return text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { wrapLine(Substring($0), width: width) }
                .joined(separator: "\n")
        }
        var result = ""
        result.reserveCapacity(text.utf8.count + text.utf8.count / 32)
        var first = true
        for line in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if !first { result += "\n" }
            first = false
            let line = Substring(line)
            if line.utf8.count <= width {
                result += line  // at most `width` bytes: at most `width` columns
            } else {
                result += wrapLine(line, width: width)
            }
        }
        return result
    }

    static func wrapLine(_ line: Substring, width: Int) -> String {
        // A line of at most `width` bytes is at most `width` columns wide.
        guard line.utf8.count > width else { return String(line) }
        if line.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return wrapASCIILine(line, width: width) }
        return wrapCharacters(line, width: width)
    }

    /// `wrapCharacters` of printable ASCII, where a character is a byte and a column: the
    /// same lines without breaking the text into characters (a personal line of a spliced
    /// message, such as the unsubscribe link, is wrapped per message).
    static func wrapASCIILine(_ line: Substring, width: Int) -> String {
        let bytes = Array(line.utf8)
        let indentWidth = bytes.prefix { $0 == 0x20 }.count
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        out += bytes[..<indentWidth]
        var currentWidth = indentWidth
        var afterLabel = false
        for word in bytes[indentWidth...].split(separator: 0x20) {
            if !(afterLabel && isLink(word)), currentWidth > indentWidth, currentWidth + 1 + word.count > width,
                indentWidth + word.count <= width
            {
                out.append(0x0A)
                out += bytes[..<indentWidth]
                currentWidth = indentWidth
            }
            if currentWidth > indentWidth {
                out.append(0x20)
                currentWidth += 1
            }
            out += word
            currentWidth += word.count
            afterLabel = isLabel(word)
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func wrapCharacters(_ line: Substring, width: Int) -> String {
        guard line.utf8.count > width, DisplayWidth.of(line) > width else { return String(line) }
        let indent = String(line.prefix { $0 == " " })
        let indentWidth = indent.count
        var lines: [String] = []
        var current = indent
        var currentWidth = indentWidth
        var afterLabel = false
        for word in words(line.dropFirst(indent.count), width: width - indentWidth) {
            let wordWidth = DisplayWidth.of(word.text)
            let separator = word.spaced && currentWidth > indentWidth ? 1 : 0
            let fitsOnAFreshLine = indentWidth + wordWidth <= width
            if !(afterLabel && isLink(word.text.utf8)), currentWidth > indentWidth, currentWidth + separator + wordWidth > width,
                fitsOnAFreshLine
            {
                lines.append(current)
                current = indent
                currentWidth = indentWidth
            }
            if word.spaced, currentWidth > indentWidth {
                current += " "
                currentWidth += 1
            }
            current += word.text
            currentWidth += wordWidth
            afterLabel = isLabel(word.text.utf8)
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }

    /// "[3]": a link's number, which the link after it stays beside.
    static func isLabel<Bytes: BidirectionalCollection<UInt8>>(_ word: Bytes) -> Bool {
        guard word.count >= 3, word.first == UInt8(ascii: "["), word.last == UInt8(ascii: "]") else { return false }
        return word.dropFirst().dropLast().allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// A word that is a link: "https://…", "mailto:…".
    static func isLink<Bytes: Collection<UInt8>>(_ word: Bytes) -> Bool {
        word.starts(with: "https://".utf8) || word.starts(with: "http://".utf8) || word.starts(with: "mailto:".utf8)
    }

    /// Words split at spaces; runs of wide characters are split into single characters that
    /// may break anywhere (`spaced` false), as CJK text has no spaces to break at.
    private static func words(_ text: Substring, width: Int) -> [(text: String, spaced: Bool)] {
        var result: [(text: String, spaced: Bool)] = []
        for word in text.split(separator: " ") {
            // Printable ASCII is never wide: no per-character width lookup for a long URL.
            if DisplayWidth.of(word) > width, !word.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }),
                word.contains(where: { DisplayWidth.of($0) == 2 })
            {
                for (index, character) in word.enumerated() { result.append((String(character), index == 0)) }
            } else {
                result.append((String(word), true))
            }
        }
        return result
    }
}
