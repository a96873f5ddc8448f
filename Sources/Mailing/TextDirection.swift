/// Which way a story's text runs, decided on the server: mail clients ignore or misapply
/// `dir="auto"` (a cell took its direction from a date line), so every block carries an
/// explicit `dir` and alignment, and only the runs in the other script are isolated.
public enum TextDirection: String, Sendable, Hashable {
    case leftToRight = "ltr"
    case rightToLeft = "rtl"

    /// The `text-align` that goes with the direction.
    var align: String { self == .rightToLeft ? "right" : "left" }

    /// Primary language subtags written right to left (Arabic, Persian, Hebrew, Urdu, Yiddish
    /// and the other Arabic-, Hebrew-, Syriac- and Thaana-script languages).
    static let rightToLeftLanguages: Set<String> = [
        "ar", "arc", "ckb", "dv", "fa", "he", "iw", "ji", "ks", "ku", "ps", "sd", "syr", "ug", "ur", "yi",
    ]

    /// The direction of `language` (BCP 47, "he-IL") when it names one, else of `text` by
    /// its letters: right to left when most of them are Hebrew, Arabic or another right-to-left
    /// script (the first letter decides a tie). Counting beats the bidi algorithm's first
    /// strong letter for headlines that open with a Latin name ("Google משיקה …").
    /// A tagged script wins over the language ("ku-Latn" is left to right).
    public static func of(language: String?, text: String) -> TextDirection {
        if let language, let tagged = of(language: language) { return tagged }
        return of(text: text)
    }

    /// The direction a language tag implies, or nil for an empty or unusable tag.
    public static func of(language: String) -> TextDirection? {
        let subtags = language.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" })
        guard let primary = subtags.first, !primary.isEmpty else { return nil }
        if let script = subtags.dropFirst().first(where: { $0.count == 4 }) {
            return ["arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg"].contains(script) ? .rightToLeft : .leftToRight
        }
        return rightToLeftLanguages.contains(String(primary)) ? .rightToLeft : .leftToRight
    }

    /// The direction of text by its strong letters: the majority's, the first letter's on a
    /// tie, left to right for text without letters.
    public static func of<S: StringProtocol>(text: S) -> TextDirection {
        var rightToLeft = 0
        var leftToRight = 0
        var first: TextDirection?
        for scalar in text.unicodeScalars {
            guard let strong = strongDirection(scalar) else { continue }
            if first == nil { first = strong }
            if strong == .rightToLeft { rightToLeft += 1 } else { leftToRight += 1 }
        }
        if rightToLeft == leftToRight { return first ?? .leftToRight }
        return rightToLeft > leftToRight ? .rightToLeft : .leftToRight
    }

    /// The direction a character forces in the Unicode bidi algorithm (classes R, AL and L,
    /// approximated by script blocks and letters), or nil for digits, spaces and punctuation.
    static func strongDirection(_ scalar: Unicode.Scalar) -> TextDirection? {
        let value = scalar.value
        if value < 0x80 {
            return (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) ? .leftToRight : nil
        }
        switch value {
        // Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic, Arabic extended and the
        // Hebrew and Arabic presentation forms. Hebrew punctuation (geresh ׳) counts as Hebrew.
        case 0x0590...0x05FF, 0x0600...0x0608, 0x060B, 0x060D, 0x061B...0x064A, 0x066D...0x06D5, 0x06E5...0x06E6,
            0x06EE...0x06EF, 0x06FA...0x08FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF, 0x10800...0x10FFF, 0x1E800...0x1EFFF:
            return scalar.properties.generalCategory == .nonspacingMark ? nil : .rightToLeft
        default:
            return scalar.properties.isAlphabetic && scalar.properties.generalCategory != .nonspacingMark ? .leftToRight : nil
        }
    }
}

/// A stretch of a value in one direction, for templates: `isolated` runs are in the other
/// direction than their block and go inside `<bdi>`, so a Latin name in a Hebrew headline
/// (or a Hebrew one in an English headline) cannot reorder the punctuation around it.
public struct DirectionRun: Sendable, Hashable {
    public var text: String
    public var isolated: Bool

    /// `text` cut into runs for a block written in `direction`: each stretch from the first
    /// to the last letter of the other direction is isolated; the spaces, digits and
    /// punctuation around it stay with the block.
    public static func runs(_ text: String, in direction: TextDirection) -> [DirectionRun] {
        var runs: [DirectionRun] = []
        var plain = ""
        var other = ""
        var pending = ""  // neutrals after an isolated run: theirs only if the other direction resumes
        for character in text {
            let strong = character.unicodeScalars.lazy.compactMap(TextDirection.strongDirection).first
            switch strong {
            case .some(let found) where found != direction:
                if other.isEmpty {
                    other = String(character)
                } else {
                    other += pending + String(character)
                }
                pending = ""
            case .some:
                if !other.isEmpty {
                    if !plain.isEmpty { runs.append(DirectionRun(text: plain, isolated: false)) }
                    runs.append(DirectionRun(text: other, isolated: true))
                    plain = pending
                    other = ""
                    pending = ""
                }
                plain.append(character)
            case .none:
                if other.isEmpty { plain.append(character) } else { pending.append(character) }
            }
        }
        if !other.isEmpty {
            if !plain.isEmpty { runs.append(DirectionRun(text: plain, isolated: false)) }
            runs.append(DirectionRun(text: other, isolated: true))
            plain = pending
        }
        if !plain.isEmpty { runs.append(DirectionRun(text: plain, isolated: false)) }
        return runs
    }
}

/// Unicode isolates for the plain-text part, where no markup can say which way a run goes.
enum BidiIsolate {
    static let firstStrong: Character = "\u{2068}"
    static let pop: Character = "\u{2069}"

    /// `text` ready to sit in a line of the text part whose words (the list's language) run
    /// `chrome`-wards: a value running the other way whole inside FSI…PDI, so its neighbours
    /// keep their order and a line holding only it keeps the chrome's paragraph direction; a
    /// value running with the chrome with each run of the other direction inside. `direction`
    /// is the value's own when known (a story's); else its letters decide.
    static func forText(_ text: String, chrome: TextDirection, direction: TextDirection? = nil) -> String {
        let other: TextDirection = chrome == .leftToRight ? .rightToLeft : .leftToRight
        guard text.unicodeScalars.contains(where: { TextDirection.strongDirection($0) == other }) else { return text }
        if (direction ?? TextDirection.of(text: text)) != chrome { return "\(firstStrong)\(text)\(pop)" }
        return DirectionRun.runs(text, in: chrome).map { $0.isolated ? "\(firstStrong)\($0.text)\(pop)" : $0.text }.joined()
    }
}
