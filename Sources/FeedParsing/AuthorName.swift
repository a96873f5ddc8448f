import Foundation

/// The person in an RSS author field, which mixes a name and an address in many ways:
/// "jo@example.com (Jo Cohen)", "Jo Cohen <jo@example.com>", "Jo Cohen (jo@example.com)",
/// "jo@example.com Jo Cohen". The name is the author; the address is kept only when there
/// is no name, as Universal Feed Parser keeps it.
enum AuthorName {
    static func name(from text: String) -> String {
        guard text.contains("@" as Character) else { return text }
        var name = ""
        var email: Substring?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if let close = closing(character), let end = text[index...].dropFirst().firstIndex(of: close) {
                let inside = text[text.index(after: index)..<end]
                if inside.contains("@" as Character) {
                    email = email ?? inside
                } else {
                    name += " " + inside
                }
                index = text.index(after: end)
                continue
            }
            let word = text[index...].prefix { !$0.isWhitespace && closing($0) == nil }
            if word.isEmpty {
                index = text.index(after: index)
                continue
            }
            if word.contains("@" as Character) {
                email = email ?? word.drop { $0 == "<" }.prefix { $0 != ">" }
            } else {
                name += " " + word
            }
            index = word.endIndex
        }
        let trimmed = name.trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: "\"',")))
        if !trimmed.isEmpty { return trimmed.replacingOccurrences(of: "  ", with: " ") }
        return email.map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "<>() ")) } ?? text
    }

    private static func closing(_ character: Character) -> Character? {
        switch character {
        case "(": ")"
        case "<": ">"
        case "[": "]"
        default: nil
        }
    }
}
