import Foundation
import Mailing

/// Columns aligned for people: each as wide as its widest cell, and, given a width, no row
/// wider than the terminal. The last column (the free text: an error, a title) wraps under
/// itself instead of being cut, so nothing is lost; columns marked `shrinkable` (long names)
/// are cut with "…" only when the last column would otherwise get fewer than
/// `lastColumnMinimum` columns. `--json` always has every cell whole.
enum Table {
    static let lastColumnMinimum = 24
    static let gap = 2

    /// Cells are escaped (`TerminalText`): stored text never breaks a row or reaches the terminal raw.
    static func render(header: [String], rows: [[String]], width: Int? = nil, shrinkable: Set<Int> = []) -> String {
        let all = ([header] + rows).map { $0.map { TerminalText.escaped($0.replacingOccurrences(of: "\t", with: " ")) } }
        let last = header.count - 1
        var widths = header.indices.map { column in all.map { DisplayWidth.of($0[column]) }.max() ?? 0 }
        guard let width, last > 0, widths.reduce(0, +) + gap * last > width else {
            return all.map { row in line(row, widths: widths, lastWidth: nil) }.joined(separator: "\n")
        }
        let wanted = min(lastColumnMinimum, widths[last])
        func room() -> Int { width - widths[..<last].reduce(0, +) - gap * last }
        // Take from the widest shrinkable column first, never below its heading.
        while room() < wanted,
            let column = shrinkable.filter({ widths[$0] > max(DisplayWidth.of(all[0][$0]), 8) }).max(by: {
                widths[$0] < widths[$1]
            })
        {
            widths[column] -= min(widths[column] - max(DisplayWidth.of(all[0][column]), 8), wanted - room())
        }
        let lastWidth = max(room(), 10)
        return all.map { row in line(row, widths: widths, lastWidth: lastWidth) }.joined(separator: "\n")
    }

    private static func line(_ row: [String], widths: [Int], lastWidth: Int?) -> String {
        let last = row.count - 1
        let fixed = row[..<last].enumerated().map { index, cell in padded(cut(cell, to: widths[index]), to: widths[index]) }
        let indent = String(repeating: " ", count: widths[..<last].reduce(0, +) + gap * last)
        let tail = lastWidth.map { wrap(row[last], width: $0) } ?? [row[last]]
        let first = (fixed + [tail.first ?? ""]).joined(separator: String(repeating: " ", count: gap))
        let text = ([first] + tail.dropFirst().map { indent + $0 }).joined(separator: "\n")
        // No trailing spaces when the last cell is empty.
        return String(text.reversed().drop { $0 == " " }.reversed())
    }

    private static func padded(_ cell: String, to width: Int) -> String {
        cell + String(repeating: " ", count: max(0, width - DisplayWidth.of(cell)))
    }

    /// `cell` in at most `width` columns, ending in "…" when it had to be cut.
    static func cut(_ cell: String, to width: Int) -> String {
        DisplayWidth.of(cell) > width ? DisplayWidth.prefix(cell, columns: width - 1) + "…" : cell
    }

    /// Lines of at most `width` columns, broken at spaces; a word longer than a line (a URL)
    /// is broken inside, since a table cell has nowhere else to go.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        var used = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let size = DisplayWidth.of(word)
            if used > 0, used + 1 + size <= width {
                current += " " + word
                used += 1 + size
                continue
            }
            if used > 0 { lines.append(current) }
            (current, used) = ("", 0)
            for character in word {
                let next = DisplayWidth.of(character)
                if used + next > width {
                    lines.append(current)
                    (current, used) = ("", 0)
                }
                current.append(character)
                used += next
            }
        }
        lines.append(current)
        return lines
    }
}
