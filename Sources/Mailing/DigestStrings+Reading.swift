extension DigestStrings {
    /// Reads a strings file. It is TOML, of the few kinds the files need: `# comments`,
    /// `key = "text"` with TOML's basic-string escapes, the `[strings]` table and a
    /// `[strings.key]` table of plural forms. A small reader of our own rather than TOMLKit,
    /// whose parser aborts the process on some malformed files (`TOMLCrashGuard` in
    /// GazetteApp), and these files come from users' template folders.
    /// - Throws: `TemplateError.strings` naming the file, line and what is wrong.
    static func parse(_ text: String, language: String, file: String) throws(TemplateError) -> DigestStrings {
        var strings = DigestStrings(
            language: language,
            direction: (TextDirection.of(language: language) ?? .leftToRight).rawValue,
            locale: language, longDate: "EEEE, d MMMM yyyy", shortDate: "d MMM yyyy", dateTime: "d MMM yyyy, HH:mm",
            subject: "", texts: [:], plurals: [:])
        var table: [String] = []
        // A byte-order mark, as some Windows editors write, is not part of the first line.
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            func problem(_ reason: String) -> TemplateError { .strings(file: file, line: index + 1, reason: reason) }
            let line = rawLine.trimmingWhitespace
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]"),
                    line[line.index(after: close)...].trimmingWhitespace.isEmpty
                        || line[line.index(after: close)...].trimmingWhitespace.hasPrefix("#")
                else { throw problem("a table header must be [strings] or [strings.key]") }
                table = line[line.index(after: line.startIndex)..<close].split(separator: ".").map {
                    String($0.trimmingWhitespace)
                }
                guard table.first == "strings", table.count <= 2, table.allSatisfy(isBareKey) else {
                    throw problem("a table header must be [strings] or [strings.key]")
                }
                if table.count == 2 {
                    guard strings.plurals[table[1]] == nil else { throw problem("[strings.\(table[1])] is given twice") }
                    strings.plurals[table[1]] = [:]
                }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { throw problem("expected key = \"text\"") }
            let key = String(line[..<equals].trimmingWhitespace)
            guard isBareKey(key) else { throw problem("a key is ASCII letters, digits, '_' or '-': \(key)") }
            let value = try quoted(line[line.index(after: equals)...].trimmingWhitespace, problem: problem)
            switch table.count {
            case 0:
                switch key {
                case "direction":
                    guard value == "ltr" || value == "rtl" else { throw problem("direction must be \"ltr\" or \"rtl\"") }
                    strings.direction = value
                case "locale": strings.locale = value
                case "long_date": strings.longDate = value
                case "short_date": strings.shortDate = value
                case "date_time": strings.dateTime = value
                case "subject": strings.subject = value
                default:
                    throw problem(
                        "unknown key \(key); the keys before [strings] are direction, locale, long_date, short_date, date_time and subject"
                    )
                }
            case 1:
                guard strings.texts[key] == nil, strings.plurals[key] == nil else { throw problem("\(key) is given twice") }
                strings.texts[key] = value
            default:
                guard let category = PluralCategory(rawValue: key) else {
                    throw problem("a plural form is one of zero, one, two, few, many or other, not \(key)")
                }
                strings.plurals[table[1], default: [:]][category] = value
            }
        }
        for (key, forms) in strings.plurals where forms[.other] == nil {
            throw .strings(file: file, line: 0, reason: "[strings.\(key)] has no `other` form, which every plural needs")
        }
        return strings
    }

    private static func isBareKey<S: StringProtocol>(_ key: S) -> Bool {
        !key.isEmpty
            && key.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
    }

    /// A TOML basic string, `"..."` with `\"`, `\\`, `\n`, `\t` and `\uXXXX`, and an optional
    /// comment after it.
    private static func quoted(_ text: Substring, problem: (String) -> TemplateError) throws(TemplateError) -> String {
        guard text.first == "\"" else { throw problem("a value is text in double quotes") }
        var result = ""
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            if character == "\"" {
                let rest = text[text.index(after: index)...].trimmingWhitespace
                guard rest.isEmpty || rest.hasPrefix("#") else { throw problem("unexpected text after the closing quote") }
                return result
            }
            if character == "\\" {
                index = text.index(after: index)
                guard index < text.endIndex else { break }
                switch text[index] {
                case "\"": result.append("\"")
                case "\\": result.append("\\")
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "u":
                    let start = text.index(after: index)
                    guard let end = text.index(start, offsetBy: 4, limitedBy: text.endIndex),
                        let value = UInt32(text[start..<end], radix: 16), let scalar = Unicode.Scalar(value)
                    else { throw problem("\\u needs four hex digits") }
                    result.unicodeScalars.append(scalar)
                    index = text.index(before: end)
                default: throw problem("unknown escape \\\(text[index])")
                }
            } else {
                result.append(character)
            }
            index = text.index(after: index)
        }
        throw problem("the text has no closing quote")
    }
}

extension Substring {
    fileprivate var trimmingWhitespace: Substring {
        let view = self
        guard let first = view.firstIndex(where: { $0 != " " && $0 != "\t" && $0 != "\r" }) else { return view[view.endIndex...] }
        let last = view.lastIndex(where: { $0 != " " && $0 != "\t" && $0 != "\r" })!
        return view[first...last]
    }
}
