import Foundation
import Mailing

/// The digest as an editor reads it in a terminal: bold titles, dim metadata, wrapped to
/// the terminal's width by display width, links as OSC 8 hyperlinks or numbered references.
///
/// Pure: the terminal's width and abilities come in as `Style`, so tests can render any
/// combination and the real terminal path only decides which to ask for.
struct TerminalDigestRenderer {
    struct Style {
        var width: Int
        /// Bold and dim (SGR) escapes; off for pipes and when NO_COLOR is set.
        var color: Bool
        /// OSC 8 hyperlinks on titles instead of a list of numbered links.
        var hyperlinks: Bool
        /// First-strong isolates around right-to-left text, for terminals that apply the bidi
        /// algorithm; off in a pipe or a file, where they are invisible bytes in the way.
        var bidiIsolates = true
    }

    /// What the header says besides the message's own fields.
    struct Header {
        var subject: String
        var from: String
        var to: String
        var htmlBytes: Int
        var htmlBudget: Int
    }

    let style: Style

    func render(_ model: DigestViewModel, header: Header) -> String {
        var out: [String] = []
        out += labelled("Subject: ", bold(header.subject))
        out += labelled("From:    ", header.from)
        out += labelled("To:      ", header.to)
        let size = String(format: "HTML %.1f KB of %d KB budget", Double(header.htmlBytes) / 1000, header.htmlBudget / 1000)
        let count = model.isEmpty ? "nothing new since \(model.since)" : "\(model.articleCount) \(model.isSingleArticle ? "article" : "articles")"
        out += wrap(dim(count + " · " + size), indent: "")
        out.append(dim(String(repeating: "─", count: max(10, style.width))))
        if model.hasTagIndex {
            out += wrap(dim("Tags: " + model.tagIndex.map { "\($0.name) (\($0.count))" }.joined(separator: " · ")), indent: "")
        }
        var links: [(Int, String)] = []
        if model.hasTopStories {
            out.append("")
            out.append(heading("TOP STORIES"))
            for item in model.topStories { out += article(item, links: &links) }
        }
        for section in model.sections {
            if section.hasItems {
                out.append("")
                out.append(heading("\(section.title.uppercased()) (\(section.count))"))
                for item in section.items { out += article(item, links: &links) }
            }
            if section.hasMore { out += wrap(dim("… " + section.moreText), indent: "    ") }
        }
        if !links.isEmpty {
            out.append("")
            out.append(heading("LINKS"))
            for (number, url) in links { out.append(dim("[\(number)]") + " " + url) }
        }
        out.append("")
        out += wrap(dim("Unsubscribe: " + model.unsubscribeURL), indent: "")
        return out.joined(separator: "\n") + "\n"
    }

    private func article(_ item: DigestViewModel.Item, links: inout [(Int, String)]) -> [String] {
        var lines: [String] = [""]
        let label = "[\(item.number)]"
        let titleLines = wrapPlain(isolated(item.title), indent: String(repeating: " ", count: label.count + 1), firstPrefix: label + " ")
        for (index, line) in titleLines.enumerated() {
            let text = String(line.dropFirst(label.count + 1))
            let prefix = index == 0 ? dim(label) + " " : String(repeating: " ", count: label.count + 1)
            lines.append(prefix + link(bold(text), to: item.url))
        }
        if !style.hyperlinks { links.append((item.number, item.url)) }
        var meta = item.time
        if item.hasAuthors { meta += " · by " + item.authors }
        if item.hasTags { meta += " · " + item.tags.map { "#" + $0.name }.joined(separator: " ") }
        lines += wrap(dim(isolated(meta)), indent: "    ")
        if item.hasSummary { lines += wrap(isolated(item.summary), indent: "    ") }
        if item.hasAlsoIn { lines += wrap(dim("Also in: " + item.alsoIn), indent: "    ") }
        return lines
    }

    /// "Subject: …", its continuation lines indented by two: narrow terminals keep room for
    /// a long address.
    private func labelled(_ label: String, _ value: String) -> [String] {
        let plain = label + Self.stripEscapes(value)
        let lines = wrapPlain(plain, indent: "  ", firstPrefix: "")
        guard style.color else { return lines }
        return lines.enumerated().map { index, line in
            index == 0 ? dim(label) + bold(String(line.dropFirst(label.count))) : "  " + bold(String(line.dropFirst(2)))
        }
    }

    // MARK: - Styling

    private func bold(_ text: String) -> String { style.color ? "\u{1B}[1m\(text)\u{1B}[22m" : text }
    private func dim(_ text: String) -> String { style.color ? "\u{1B}[2m\(text)\u{1B}[22m" : text }
    private func heading(_ text: String) -> String { style.color ? "\u{1B}[1;4m\(text)\u{1B}[0m" : text }

    private func link(_ text: String, to url: String) -> String {
        style.hyperlinks ? "\u{1B}]8;;\(url)\u{1B}\\\(text)\u{1B}]8;;\u{1B}\\" : text
    }

    /// Right-to-left text in first-strong isolates (FSI … PDI): a Hebrew title keeps its own
    /// direction, and the Latin around it (numbers, "by", tags) stays in place, on terminals
    /// that apply the bidi algorithm. The marks take no columns.
    private func isolated(_ text: String) -> String {
        guard style.bidiIsolates else { return text }
        let rtl = text.unicodeScalars.contains { (0x0590...0x08FF).contains($0.value) || (0xFB1D...0xFDFF).contains($0.value) }
        return rtl ? "\u{2068}\(text)\u{2069}" : text
    }

    // MARK: - Wrapping by display width

    /// Wraps styled text: escapes are removed for measuring, so only an all-styled line is
    /// re-styled after wrapping (every use here styles whole lines).
    private func wrap(_ styled: String, indent: String) -> [String] {
        let plain = Self.stripEscapes(styled)
        let wrapped = wrapPlain(plain, indent: indent, firstPrefix: indent)
        guard plain != styled else { return wrapped }
        // Re-apply the one style the line had.
        let isDim = styled.hasPrefix("\u{1B}[2m")
        return wrapped.map { line in
            let body = line.dropFirst(indent.count)
            return indent + (isDim ? dim(String(body)) : bold(String(body)))
        }
    }

    private func wrapPlain(_ text: String, indent: String, firstPrefix: String) -> [String] {
        let width = max(style.width, 20)
        // TextWrapper keeps a line's leading spaces on its continuation lines.
        let padded = String(repeating: " ", count: indent.count) + text
        return TextWrapper.wrap(padded, width: width).split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            index == 0 ? firstPrefix + line.dropFirst(indent.count) : String(line)
        }
    }

    static func stripEscapes(_ text: String) -> String {
        var result = ""
        var iterator = text.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            guard scalar == "\u{1B}" else {
                result.unicodeScalars.append(scalar)
                continue
            }
            guard let kind = iterator.next() else { break }
            if kind == "[" {
                while let next = iterator.next(), !(0x40...0x7E).contains(next.value) {}
            } else if kind == "]" {
                var previous: Unicode.Scalar = " "
                while let next = iterator.next() {
                    if next == "\u{07}" || (previous == "\u{1B}" && next == "\\") { break }
                    previous = next
                }
            }
        }
        return result
    }
}
