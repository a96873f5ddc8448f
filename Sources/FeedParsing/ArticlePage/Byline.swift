import Foundation

/// Authors' names out of what bylines and author metadata say around them: "By Jane Doe
/// and John Roe, Staff Writers | May 22, 2019" → Jane Doe, John Roe.
enum Byline {
    /// "By" in the languages of `TextDate`, lowercased, with the space or colon after it.
    static let prefixes = [
        "written by", "posted by", "submitted by", "reported by", "story by", "text by", "by", "par", "von", "por", "di", "door",
        "av", "af", "przez",
        "מאת", "מאת:", "כתב:", "от",
    ]
    /// Words that name a role, never a person; a part made only of them is dropped.
    static let roleWords: Set<String> = [
        "staff", "writer", "writers", "reporter", "reporters", "correspondent", "correspondents", "editor", "editors", "senior",
        "chief", "contributor", "contributing", "columnist", "special", "to", "the", "political", "foreign", "business", "news",
        "desk", "associate", "managing", "deputy", "international", "science", "sports", "technology", "health", "opinion",
        "contributors", "rédaction", "redaktion", "redacción", "journaliste", "envoyé", "spécial", "envoyée", "spéciale",
        "correspondant", "correspondante", "korrespondent", "kommentar", "כתב", "כתבת", "עורך", "עורכת", "אתר", "published",
        "updated", "and",
    ]
    private static let separators = try! NSRegularExpression(
        pattern: "\\s*(?:,|;|\\||\\s&\\s|\\sand\\s|\\sund\\s|\\set\\s|\\sy\\s|\\se\\s|\\sen\\s|\\soch\\s|\\sog\\s|\\si\\s)\\s*",
        options: [.caseInsensitive])

    /// The names in one byline or author value, in order.
    static func names(_ text: String) -> [String] {
        var line = collapsingWhitespace(text)
        // A date or time ends the names: "Jane Doe May 22, 2019", "Jane Doe - 10:42".
        if let cut = dateStart(line) { line = String(line[..<cut]) }
        line = withoutPrefix(line)
        let range = NSRange(line.startIndex..., in: line)
        let parts = separators.stringByReplacingMatches(in: line, range: range, withTemplate: "\u{1F}").split(separator: "\u{1F}")
        return parts.map { withoutPrefix(String($0)).trimmingCharacters(in: CharacterSet(charactersIn: " -–—:·•")) }
            .filter { part in
                let words = part.lowercased().split(separator: " ").map(String.init)
                return !words.isEmpty && !words.allSatisfy(roleWords.contains) && part.count <= 60 && !part.contains("@")
                    && !part.hasPrefix("http") && part.contains(where: \.isLetter)
            }
    }

    private static func withoutPrefix(_ text: String) -> String {
        var name = text.trimmingCharacters(in: .whitespaces)
        let lowered = name.lowercased()
        for prefix in prefixes {
            for tail in [" ", ": ", ":"] where lowered.hasPrefix(prefix + tail) {
                name = String(name.dropFirst(prefix.count + tail.count))
                return name.trimmingCharacters(in: .whitespaces)
            }
        }
        return name
    }

    private static let datePattern = try! NSRegularExpression(
        pattern:
            "\\s(?:[-–—|·•,/]\\s*)?(?:\\d{1,2}[:./-]\\d{1,2}|(?:updated|published|posted|am|le|on)\\s*:?\\s*\\d|on\\s+[\\p{L}.,\\s]{0,15}\\d|\\d{4}|\\d{1,2}\\s+\\p{L}+\\s+\\d{4})",
        options: [.caseInsensitive])

    private static func dateStart(_ line: String) -> String.Index? {
        var earliest: String.Index?
        if let match = datePattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) {
            earliest = Range(match.range, in: line)?.lowerBound
        }
        // A month name followed by a day ("May 22") starts a date too.
        for word in line.split(separator: " ")
        where TextDate.monthNumbers[word.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".,"))] != nil {
            let after = line[word.endIndex...].drop { $0 == " " || $0 == "." }
            if after.first?.isNumber == true, word.startIndex > line.startIndex {
                earliest = min(earliest ?? word.startIndex, word.startIndex)
                break
            }
        }
        return earliest
    }
}
