import Mailing

/// One line of a progress bar, drawn from the numbers alone so it can be tested without a
/// terminal: `Fetching  3/12 [#######.............] news`.
struct ProgressLine: Hashable {
    var phase: String
    var done: Int
    var total: Int
    var item: String

    /// The line, at most `width - 1` columns wide (a terminal wraps a line that fills its
    /// last column, and the next `\r` would then redraw the wrong line). The bar shrinks
    /// first, then the item is cut; on a very narrow terminal only the numbers are left.
    func render(width: Int) -> String {
        let room = max(width - 1, 0)
        let clamped = min(max(done, 0), max(total, 0))
        let counts = "\(phase) \(clamped)/\(total)"
        guard DisplayWidth.of(counts) <= room else { return DisplayWidth.prefix(counts, columns: room) }
        var line = counts
        // The item gets up to half of what the numbers leave; the bar the rest, 30 at most.
        let available = room - DisplayWidth.of(counts) - 3
        let itemShare = item.isEmpty ? 0 : min(DisplayWidth.of(item) + 1, available / 2)
        let barWidth = min(30, available - itemShare)
        if barWidth >= 5 {
            let filled = total > 0 ? barWidth * clamped / total : 0
            line += " [" + String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled) + "]"
        }
        let itemRoom = room - DisplayWidth.of(line) - 1
        if !item.isEmpty, itemRoom >= 4 {
            line += " " + (DisplayWidth.of(item) <= itemRoom ? item : DisplayWidth.prefix(item, columns: itemRoom - 1) + "…")
        }
        return line
    }
}
