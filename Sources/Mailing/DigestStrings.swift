import Foundation

/// The words of a digest's chrome in one language ("new articles", "Unsubscribe"), its date
/// formats and its direction, read from `templates/strings/<language>.toml` (built in, or a
/// user's templates folder). Templates show them as `{{t.key}}` (`DigestViewModel.t`).
public struct DigestStrings: Sendable, Equatable {
    /// The BCP 47 code the file is named by: "en", "he".
    public var language: String
    /// "ltr" or "rtl".
    public var direction: String
    /// The locale month and day names are written in ("he_IL").
    public var locale: String
    /// ICU date patterns: the digest's day, its short form and an article's time.
    public var longDate: String
    public var shortDate: String
    public var dateTime: String
    /// The subject line, a Mustache template on the digest's fields.
    public var subject: String
    /// Strings by key, with `{name}` placeholders.
    public var texts: [String: String]
    /// Strings with a form per plural category, by key.
    public var plurals: [String: [PluralCategory: String]]

    /// The string for `key` with its placeholders filled; the key itself when no file has it,
    /// so a template's typo shows in the output instead of vanishing.
    public func text(_ key: String, _ values: [String: String] = [:]) -> String {
        guard let text = texts[key] else { return key }
        return Self.filled(text, values)
    }

    /// The form of `key` for `count` in this language, `{count}` and the placeholders filled.
    /// An explicit `zero` form is used for 0 in any language ("and 0 more" reads as nothing).
    public func plural(_ key: String, count: Int, _ values: [String: String] = [:]) -> String {
        guard let forms = plurals[key] else { return text(key, values.merging(["count": String(count)]) { a, _ in a }) }
        let category = count == 0 && forms[.zero] != nil ? .zero : PluralCategory.of(count, language: language)
        let form = forms[category] ?? forms[.other] ?? key
        return Self.filled(form, values.merging(["count": String(count)]) { a, _ in a })
    }

    /// These strings with the ones `base` has and these lack: a language file need not repeat
    /// a string English already gives (nor a user's file every built-in one).
    func filling(from base: DigestStrings) -> DigestStrings {
        var merged = self
        if merged.subject.isEmpty { merged.subject = base.subject }
        merged.texts.merge(base.texts) { own, _ in own }
        merged.plurals.merge(base.plurals) { own, _ in own }
        return merged
    }

    /// `{name}` replaced by `values[name]`; other braces stay as written. One pass, so a
    /// value's own braces (a headline's "{count}") are never filled in turn.
    static func filled(_ text: String, _ values: [String: String]) -> String {
        guard text.utf8.contains(UInt8(ascii: "{")) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 64)
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let name = rest[rest.index(after: open)...]
            if let close = name.firstIndex(of: "}"), let value = values[String(name[..<close])] {
                result += value
                rest = name[name.index(after: close)...]
            } else {
                result += "{"
                rest = name
            }
        }
        result += rest
        return result
    }
}

extension DigestStrings {
    /// The strings shipped in the binary, by language.
    public static let builtIn: [String: DigestStrings] = {
        var byLanguage: [String: DigestStrings] = [:]
        for (language, text) in DefaultTemplates.strings {
            // The embedded files are checked by a test (`DigestStringsTests`); a broken one
            // would fail there first.
            if let strings = try? DigestStrings.parse(text, language: language, file: "templates/strings/\(language).toml") {
                byLanguage[language] = strings
            }
        }
        if let english = byLanguage["en"] {
            for (language, strings) in byLanguage where language != "en" { byLanguage[language] = strings.filling(from: english) }
        }
        return byLanguage
    }()

    /// The built-in strings for `language`, or for its primary subtag ("he" for "he-IL").
    public static func builtIn(for language: String) -> DigestStrings? {
        builtIn[language] ?? builtIn[PluralCategory.primarySubtag(of: language)]
    }

    /// The built-in English strings.
    public static var english: DigestStrings { builtIn["en"]! }
}
