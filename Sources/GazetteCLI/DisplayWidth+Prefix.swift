import Mailing

extension DisplayWidth {
    /// The longest start of `text` that fits in `columns` terminal columns, never splitting a
    /// character (a wide one that would overflow is left out whole). The progress line and
    /// the tables cut with it.
    static func prefix(_ text: String, columns: Int) -> String {
        var result = ""
        var used = 0
        for character in text {
            let width = of(character)
            guard used + width <= columns else { break }
            result.append(character)
            used += width
        }
        return result
    }
}
