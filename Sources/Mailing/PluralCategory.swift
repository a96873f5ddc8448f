/// CLDR's plural categories, and the rule that picks one for a whole number in each language
/// Gazette ships or knows to be common: strings files give a form per category
/// (`DigestStrings`), so "1 new article" and "שתי כתבות חדשות" are each grammatical.
public enum PluralCategory: String, Sendable, CaseIterable {
    case zero, one, two, few, many, other

    /// The category of `count` in `language` (a BCP 47 code; only its first subtag counts).
    /// Rules from CLDR 44's plurals.xml for integers; a language not listed here uses the
    /// English rule, which is right for most European languages.
    public static func of(_ count: Int, language: String) -> PluralCategory {
        let n = abs(count)
        switch primarySubtag(of: language) {
        case "he", "iw":
            return n == 1 ? .one : n == 2 ? .two : .other
        case "ar":
            if n == 0 { return .zero }
            if n == 1 { return .one }
            if n == 2 { return .two }
            if (3...10).contains(n % 100) { return .few }
            if (11...99).contains(n % 100) { return .many }
            return .other
        case "fa", "hi", "bn", "gu", "kn", "zu", "am":
            return n <= 1 ? .one : .other
        case "fr", "pt":
            return n <= 1 ? .one : .other
        case "ru", "uk", "be":
            if n % 10 == 1, n % 100 != 11 { return .one }
            if (2...4).contains(n % 10), !(12...14).contains(n % 100) { return .few }
            return .many
        case "pl":
            if n == 1 { return .one }
            if (2...4).contains(n % 10), !(12...14).contains(n % 100) { return .few }
            return .many
        case "ja", "zh", "ko", "th", "vi", "id", "ms":
            return .other
        default:
            return n == 1 ? .one : .other
        }
    }

    /// "he" of "he-IL" or "he_IL", lowercased.
    public static func primarySubtag(of language: String) -> String {
        String(language.prefix { $0 != "-" && $0 != "_" }).lowercased()
    }
}
