/// How many terminal or monospace columns text takes, per user-perceived character:
/// East Asian wide and fullwidth characters take two, combining marks (Hebrew niqqud,
/// accents) ride on their base character, and zero-width and direction marks take none.
public enum DisplayWidth {
    public static func of<S: StringProtocol>(_ text: S) -> Int {
        // Printable ASCII, the common case, is one column a byte.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        // Latin, Hebrew letters and common punctuation: one column a scalar, and each scalar
        // its own character (none is a mark, a joiner or wide). Hebrew text otherwise paid
        // a grapheme break and a Unicode property lookup per character.
        var narrow = 0
        for scalar in text.unicodeScalars {
            guard isPlainNarrow(scalar.value) else { return text.reduce(0) { $0 + of($1) } }
            narrow += 1
        }
        return narrow
    }

    /// A scalar that is one column wide and starts a character of its own whatever follows
    /// it, unless a mark follows (a mark is never plain narrow, so the slow path sees it).
    private static func isPlainNarrow(_ value: UInt32) -> Bool {
        switch value {
        case 0x20..<0x7F, 0xA0..<0xAD, 0xAE..<0x300, 0x5BE, 0x5C0, 0x5C3, 0x5C6, 0x5D0...0x5EA, 0x5F0...0x5F4, 0x2010...0x2027:
            true
        default: false
        }
    }

    public static func of(_ character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        let value = first.value
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
        if isZeroWidth(value) { return 0 }
        if first.properties.generalCategory == .nonspacingMark || first.properties.generalCategory == .enclosingMark { return 0 }
        if isWide(value) || character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) && first.properties.isEmoji { return 2 }
        return 1
    }

    /// Format characters that draw nothing: zero-width space/joiners, bidi marks and isolates, BOM.
    private static func isZeroWidth(_ value: UInt32) -> Bool {
        (0x200B...0x200F).contains(value) || (0x202A...0x202E).contains(value) || (0x2060...0x2064).contains(value)
            || (0x2066...0x2069).contains(value) || value == 0xFEFF || value == 0x00AD
    }

    /// Unicode East Asian Width W and F ranges (UAX #11), plus the emoji blocks terminals draw wide.
    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3, 0x25FD...0x25FE,
            0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5,
            0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C,
            0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55,
            0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F2FF, 0x1F300...0x1F64F, 0x1F680...0x1F6FF,
            0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            true
        default:
            false
        }
    }
}
