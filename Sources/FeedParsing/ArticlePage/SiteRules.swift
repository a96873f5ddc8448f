import Foundation

/// What generic extraction misses on one site, as its editor writes it in the config.
///
/// Selectors are XPath 1.0 (`//nav[@class='crumbs']//a`) or a small CSS subset
/// (`nav.crumbs a`, `#byline`, `span[itemprop=author]`); see `Selector`.
public struct SiteRules: Sendable, Hashable {
    /// The host the rules apply to; "israelhayom.com" also covers "www.israelhayom.com".
    public var host: String
    /// Elements whose texts, in order, are the section path.
    public var section: String?
    /// Elements whose texts are the tags.
    public var tags: String?
    /// Elements whose texts are the authors ("By " and "מאת " are removed).
    public var author: String?
    /// The element whose text is the publish time, read with `dateFormat` in `timeZone`.
    public var date: String?
    /// A Unicode date pattern: "dd-MM-yyyy HH:mm" for "Published on 12-11-2025 15:22".
    public var dateFormat: String?
    public var timeZone: TimeZone?
    /// Section names renamed or merged ("Israel at War" → "Israel"), applied to each level.
    public var sectionMap: [String: String]
    /// Section names that are not sections ("Home", "ראשי"), dropped wherever they appear.
    public var dropSections: Set<String>

    public init(
        host: String, section: String? = nil, tags: String? = nil, author: String? = nil, date: String? = nil,
        dateFormat: String? = nil, timeZone: TimeZone? = nil, sectionMap: [String: String] = [:], dropSections: Set<String> = []
    ) {
        self.host = host.lowercased()
        self.section = section
        self.tags = tags
        self.author = author
        self.date = date
        self.dateFormat = dateFormat
        self.timeZone = timeZone
        self.sectionMap = sectionMap
        self.dropSections = dropSections
    }

    /// True when the rules are for `url`'s host or a parent domain of it.
    public func applies(to url: String) -> Bool {
        guard let host = URL(string: url)?.host?.lowercased() else { return false }
        return host == self.host || host.hasSuffix("." + self.host)
    }

    /// The rules for `url` among `rules`, the most specific host first.
    public static func matching(_ url: String, in rules: [SiteRules]) -> SiteRules? {
        rules.filter { $0.applies(to: url) }.max { $0.host.count < $1.host.count }
    }
}

/// A selector in either notation, compiled to XPath.
///
/// CSS support is the part editors reach for: type, `.class`, `#id`, `[attr]`,
/// `[attr=value]`, `[attr*=value]`, descendant (` `) and child (`>`) combinators, and `,`.
public enum Selector {
    /// XPath for `selector`; text starting with `/`, `(`, `./` or `..` is XPath already.
    public static func xpath(_ selector: String) -> String? {
        let trimmed = selector.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if ["/", "(", "./", ".."].contains(where: trimmed.hasPrefix) { return trimmed }
        var alternatives: [String] = []
        for group in trimmed.split(separator: ",") {
            guard let path = compile(String(group)) else { return nil }
            alternatives.append(path)
        }
        return alternatives.joined(separator: " | ")
    }

    private static func compile(_ css: String) -> String? {
        var xpath = ""
        var axis = "//"
        var tokens = css.replacingOccurrences(of: ">", with: " > ").split(separator: " ").map(String.init)[...]
        while let token = tokens.popFirst() {
            if token == ">" {
                axis = "/"
                continue
            }
            guard let step = step(token) else { return nil }
            xpath += axis + step
            axis = "//"
        }
        return xpath.isEmpty ? nil : xpath
    }

    /// One compound selector (`div.byline[itemprop=author]`) as an XPath step.
    private static func step(_ token: String) -> String? {
        var name = ""
        var predicates: [String] = []
        var index = token.startIndex
        while index < token.endIndex, token[index].isLetter || token[index].isNumber || token[index] == "-" || token[index] == "*" {
            name.append(token[index])
            index = token.index(after: index)
        }
        while index < token.endIndex {
            let marker = token[index]
            index = token.index(after: index)
            switch marker {
            case ".", "#":
                let start = index
                while index < token.endIndex, token[index].isLetter || token[index].isNumber || "-_".contains(token[index]) {
                    index = token.index(after: index)
                }
                let value = token[start..<index]
                guard !value.isEmpty else { return nil }
                predicates.append(marker == "." ? "contains(concat(' ', normalize-space(@class), ' '), ' \(value) ')" : "@id='\(value)'")
            case "[":
                guard let close = token[index...].firstIndex(of: "]") else { return nil }
                let body = token[index..<close]
                index = token.index(after: close)
                if let range = body.range(of: "*=") {
                    predicates.append("contains(@\(body[..<range.lowerBound]), '\(unquote(body[range.upperBound...]))')")
                } else if let equals = body.firstIndex(of: "=") {
                    predicates.append("@\(body[..<equals])='\(unquote(body[body.index(after: equals)...]))'")
                } else {
                    predicates.append("@\(body)")
                }
            default:
                return nil
            }
        }
        return (name.isEmpty ? "*" : name) + predicates.map { "[\($0)]" }.joined()
    }

    private static func unquote(_ text: Substring) -> String {
        text.trimmingCharacters(in: CharacterSet(charactersIn: "\"'")).replacingOccurrences(of: "'", with: "")
    }
}
