/// Text from the internet (feed titles, page bylines, tags, subscriber names) made safe to
/// store and to put in a message, a header or a terminal.
///
/// Removed: NUL and the other C0/C1 control characters (a CR/LF smuggled into a name
/// would start a new header line), and the Unicode bidirectional overrides, embeddings and
/// isolates (U+202A–U+202E, U+2066–U+2069), which can make `moc.evil` display as
/// `evil.com` or reorder a line against its reader. Right-to-left text itself needs none of
/// them: Hebrew and Arabic letters carry their own direction, and the renderers add the
/// isolation they need. Whitespace runs become one space.
public enum UntrustedText {
    public static func clean(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if isWhitespace(scalar) {
                pendingSpace = !scalars.isEmpty
                continue
            }
            if isForbidden(scalar) { continue }
            if pendingSpace {
                scalars.append(" ")
                pendingSpace = false
            }
            scalars.append(scalar)
        }
        let cleaned = String(scalars)
        return cleaned.utf8.allSatisfy { $0 < 0x80 } ? cleaned : detachingMarkupCharacters(cleaned)
    }

    /// The characters HTML escaping must see.
    static let markup: Set<Unicode.Scalar> = ["\"", "'", "<", ">", "&"]

    /// A combining mark (or other grapheme extender) right after `"`, `'`, `<`, `>` or `&`
    /// fuses with it into one `Character` that is not that character, and escapers that go
    /// `Character` by `Character` (swift-mustache's `{{value}}` among them) let the raw quote
    /// through: `alt="{{imageAlt}}"` with `x"\u{301} onerror=…` gained an attribute. Such a
    /// mark decorates punctuation no reader needs decorated, so it goes.
    static func detachingMarkupCharacters(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for character in text {
            if let first = character.unicodeScalars.first, markup.contains(first), character.unicodeScalars.count > 1 {
                scalars.append(first)
            } else {
                scalars.append(contentsOf: character.unicodeScalars)
            }
        }
        return String(scalars)
    }

    /// True when `text` holds nothing `clean` would remove or change.
    public static func isClean(_ text: String) -> Bool { clean(text) == text }

    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        case 0xFFF9...0xFFFB: true  // interlinear annotation controls
        default: false
        }
    }

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}
