import Foundation

/// Dates as pages write them for people and in loose metadata: "May 22, 2019",
/// "22. Mai 2019", "le 1er mars 2019", "22 במאי 2019", "22/05/2019", "2019-05-22 10:00",
/// a Unix time. Pure and forgiving; reads the calendar day only (midnight UTC), because
/// visible text rarely says which clock it means and the day is what readers see.
enum TextDate {
    /// Month names and common abbreviations in English, Hebrew and the main European
    /// languages (French, German, Spanish, Italian, Portuguese, Dutch, the Scandinavian
    /// ones, Polish and Russian in the genitive that dates use), lowercased.
    static let monthNumbers: [String: Int] = {
        let names: [[String]] = [
            [
                "january", "jan", "janvier", "janv", "januar", "jänner", "enero", "gennaio", "janeiro", "januari", "stycznia",
                "styczeń", "января", "ינואר",
            ],
            [
                "february", "feb", "février", "fevrier", "févr", "fevr", "februar", "febrero", "febbraio", "fevereiro",
                "februari",
                "lutego", "luty", "февраля", "פברואר",
            ],
            [
                "march", "mar", "mars", "märz", "marz", "marzo", "março", "marco", "maart", "marts", "marca", "marzec", "марта",
                "מרץ", "מרס",
            ],
            ["april", "apr", "avril", "avr", "abril", "aprile", "kwietnia", "kwiecień", "апреля", "אפריל"],
            ["may", "mai", "mayo", "maggio", "maio", "mei", "maj", "maja", "мая", "מאי"],
            ["june", "jun", "juin", "juni", "junio", "giugno", "junho", "czerwca", "czerwiec", "июня", "יוני"],
            ["july", "jul", "juillet", "juil", "juli", "julio", "luglio", "julho", "lipca", "lipiec", "июля", "יולי"],
            ["august", "aug", "août", "aout", "agosto", "augustus", "augusti", "sierpnia", "sierpień", "августа", "אוגוסט"],
            [
                "september", "sep", "sept", "septembre", "septiembre", "setiembre", "settembre", "setembro", "września",
                "wrzesień",
                "сентября", "ספטמבר",
            ],
            [
                "october", "oct", "octobre", "oktober", "okt", "octubre", "ottobre", "outubro", "października", "październik",
                "октября", "אוקטובר",
            ],
            ["november", "nov", "novembre", "noviembre", "novembro", "listopada", "listopad", "ноября", "נובמבר"],
            [
                "december", "dec", "décembre", "decembre", "déc", "dezember", "dez", "diciembre", "dicembre", "dezembro",
                "grudnia", "grudzień", "декабря", "דצמבר",
            ],
        ]
        var table: [String: Int] = [:]
        for (index, group) in names.enumerated() {
            for name in group { table[name] = index + 1 }
        }
        return table
    }()

    private static let monthPattern = monthNumbers.keys.sorted { $0.count > $1.count }.map {
        NSRegularExpression.escapedPattern(for: $0)
    }
    .joined(separator: "|")

    /// "22 May 2019", "22. Mai 2019", "1er mars 2019", "22 de mayo de 2019", "22 במאי 2019".
    private static let dayMonthYear = try! NSRegularExpression(
        pattern: "(?<![\\p{L}\\d])(\\d{1,2})(?:\\.|er|st|nd|rd|th|º)?\\s+(?:de\\s+)?[בל]?(" + monthPattern
            + ")(?![\\p{L}])\\.?,?\\s+(?:de\\s+|del\\s+)?(\\d{4})(?!\\d)",
        options: [.caseInsensitive])
    /// "May 22, 2019", "Sept. 5th 2019".
    private static let monthDayYear = try! NSRegularExpression(
        pattern: "(?<![\\p{L}])(" + monthPattern + ")\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})(?!\\d)",
        options: [.caseInsensitive])
    /// "2019-05-22", "2019/05/22", "2019.05.22".
    private static let yearFirst = try! NSRegularExpression(pattern: "(?<!\\d)(\\d{4})([-/.])(\\d{1,2})\\2(\\d{1,2})(?!\\d)")
    /// "22.05.2019", "22/05/2019", "05-22-2019".
    private static let yearLast = try! NSRegularExpression(pattern: "(?<![\\d.])(\\d{1,2})([-/.])(\\d{1,2})\\2(\\d{4})(?!\\d)")

    /// The first date in `text`. Numeric dates whose day and month could be swapped are read
    /// month first only on pages in American English (`language` "en-US", or plain "en").
    static func parse(_ text: String, language: String? = nil) -> Date? {
        let text = String(text.prefix(20_000))
        let range = NSRange(text.startIndex..., in: text)
        var found: [(location: Int, date: Date)] = []
        func group(_ match: NSTextCheckingResult, _ index: Int) -> String {
            Range(match.range(at: index), in: text).map { String(text[$0]) } ?? ""
        }
        if let match = dayMonthYear.firstMatch(in: text, range: range),
            let date = make(
                year: Int(group(match, 3)), month: monthNumbers[group(match, 2).lowercased()], day: Int(group(match, 1)))
        {
            found.append((match.range.location, date))
        }
        if let match = monthDayYear.firstMatch(in: text, range: range),
            let date = make(
                year: Int(group(match, 3)), month: monthNumbers[group(match, 1).lowercased()], day: Int(group(match, 2)))
        {
            found.append((match.range.location, date))
        }
        if let match = yearFirst.firstMatch(in: text, range: range),
            let date = make(year: Int(group(match, 1)), month: Int(group(match, 3)), day: Int(group(match, 4)))
        {
            found.append((match.range.location, date))
        }
        if let match = yearLast.firstMatch(in: text, range: range), let first = Int(group(match, 1)),
            let second = Int(group(match, 3))
        {
            let dotted = group(match, 2) == "."
            let monthFirst = !dotted && (second > 12 || (first <= 12 && Self.writesMonthFirst(language)))
            let (day, month) = monthFirst ? (second, first) : (first, second)
            if let date = make(year: Int(group(match, 4)), month: month, day: day) { found.append((match.range.location, date)) }
        }
        return found.min { $0.location < $1.location }?.date
    }

    /// A whole value that is only a date, in any of the forms above, or a Unix time.
    static func parseValue(_ text: String, language: String? = nil) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count == 10 || trimmed.count == 13, trimmed.allSatisfy(\.isASCII), let number = Double(trimmed), number > 0 {
            let seconds = trimmed.count == 13 ? number / 1000 : number
            let date = Date(timeIntervalSince1970: seconds)
            return plausible(date) ? date : nil
        }
        return parse(trimmed, language: language)
    }

    /// American English writes 05/06/2019 for May 6; everyone else for June 5.
    static func writesMonthFirst(_ language: String?) -> Bool {
        guard let language = language?.lowercased().replacingOccurrences(of: "_", with: "-") else { return false }
        return language == "en" || language == "en-us"
    }

    static func make(year: Int?, month: Int?, day: Int?) -> Date? {
        guard let year, let month, let day, (1990...2100).contains(year), (1...12).contains(month), (1...31).contains(day) else {
            return nil
        }
        var components = DateComponents()
        (components.year, components.month, components.day) = (year, month, day)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == day else { return nil }
        return date
    }

    /// Dates before the web's news sites or far in the future are template noise.
    static func plausible(_ date: Date) -> Bool {
        date > Date(timeIntervalSince1970: 631_152_000) && date < Date(timeIntervalSince1970: 4_102_444_800)
    }
}
