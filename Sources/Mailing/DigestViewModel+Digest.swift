import Foundation
import GazetteModel

extension DigestViewModel {
    /// Formats a digest for the templates; dates in `timeZone`, words from `strings` (by
    /// default the built-in strings of the list's language, else English).
    public init(digest: Digest, date: Date, timeZone: TimeZone, links: DigestLinks, strings: DigestStrings? = nil) {
        let strings = strings ?? DigestStrings.builtIn(for: digest.list.language) ?? DigestStrings.english
        let formats = DateFormats(timeZone: timeZone, strings: strings)
        var numbers: [String: Int] = [:]
        var number = 0
        func item(_ entry: DigestEntry) -> Item {
            number += 1
            numbers[entry.article.url] = number
            return Self.item(entry, number: number, formats: formats, strings: strings)
        }
        let top = digest.topStories.map(item)
        let sections = digest.sections.map { section in
            Section(
                title: clean(section.title), anchor: Self.anchor(section.title), count: section.entries.count,
                hasItems: !section.entries.isEmpty, items: section.entries.map(item), moreCount: section.moreCount, hasMore: section.moreCount > 0,
                moreText: strings.plural("andMore", count: section.moreCount, ["section": clean(section.title)]))
        }
        let tagIndex = digest.tagIndex.map { tag in
            let links = tag.articleURLs.compactMap { numbers[$0] }.map { ArticleLink(number: $0, anchor: "a\($0)") }
            return Tag(name: clean(tag.tag), count: tag.count, articles: links, numbers: links.map { String($0.number) }.joined(separator: ", "))
        }
        let count = digest.articleCount
        let since = formats.time.string(from: digest.window.start)
        let headlines = digest.articles.prefix(3).map { clean($0.title) }.joined(separator: " · ")
        let lead = digest.articles.first.map { clean($0.title) } ?? ""
        self.init(
            subject: "",
            t: Self.strings(strings, count: count, since: since, listTitle: digest.list.title, headlines: headlines),
            preheader: count == 0 ? strings.text("nothingNewSince", ["since": since])
                : strings.plural("preheader", count: count, ["headlines": headlines]),
            list: List(
                name: digest.list.name, title: digest.list.title, senderName: digest.list.senderName,
                senderAddress: digest.list.senderAddress, language: digest.list.language, direction: strings.direction),
            reader: Reader(email: "", name: nil, greetingName: ""),
            date: formats.longDay.string(from: date),
            shortDate: formats.shortDay.string(from: date),
            leadStory: lead,
            hasLeadStory: !lead.isEmpty,
            since: since,
            articleCount: count,
            isEmpty: count == 0,
            isSingleArticle: count == 1,
            topStories: top,
            hasTopStories: !top.isEmpty,
            sections: sections,
            tagIndex: tagIndex,
            hasTagIndex: !tagIndex.isEmpty,
            tagIndexLine: tagIndex.map { tag in
                // The name and its first number stay together; the numbers may wrap.
                ([Self.unbreakable(tag.name)] + tag.articles.map { "[\($0.number)]" }).joined(separator: " ")
                    .replacingFirst(" ", with: "\u{A0}")
            }
            .joined(separator: Self.textSeparator),
            generator: "Gazette \(GazetteVersion.current)",
            unsubscribeURL: links.unsubscribeURL ?? links.unsubscribeMailto,
            unsubscribeMailto: links.unsubscribeMailto,
            preferencesURL: links.preferencesURL,
            hasPreferencesURL: links.preferencesURL != nil)
        // Rendered before the reader is set: a subject holds no personal field, so every
        // subscriber of one digest shares it (`DigestMessageTemplate`).
        subject = DigestSubject.render(digest.list.subjectTemplate ?? strings.subject, model: self, fallback: digest.list.title)
        reader = Reader(subscriber: digest.subscriber)
    }

    /// `t`: every string of the language, plurals for the digest's article count (and
    /// `andMoreArticles` for the articles after the lead story).
    private static func strings(_ strings: DigestStrings, count: Int, since: String, listTitle: String, headlines: String) -> [String: String] {
        let values = ["since": since, "title": listTitle, "headlines": headlines]
        var t: [String: String] = [:]
        for key in strings.texts.keys { t[key] = strings.text(key, values) }
        for key in strings.plurals.keys { t[key] = strings.plural(key, count: count, values) }
        t["andMoreArticles"] = strings.plural("andMoreArticles", count: max(count - 1, 0), values)
        return t
    }

    private static func item(_ entry: DigestEntry, number: Int, formats: DateFormats, strings: DigestStrings) -> Item {
        let article = entry.article
        let tags = entry.tags.map { Tag(name: clean($0), count: 1, articles: [], numbers: "") }
        let image = article.imageURL.flatMap(webLink)
        let alsoIn = entry.alsoIn.map(\.description).joined(separator: " · ")
        return Item(
            number: number, anchor: "a\(number)", title: clean(article.title), url: webLink(article.url) ?? "#",
            summary: clean(article.summary), hasSummary: !article.summary.isEmpty,
            authors: joinedNames(article.authors.map(clean), and: strings.text("and")),
            hasAuthors: !article.authors.isEmpty, time: formats.time.string(from: article.displayTime), tags: tags,
            hasTags: !tags.isEmpty, tagLine: entry.tags.map { unbreakable(clean($0)) }.joined(separator: textSeparator), alsoIn: alsoIn, hasAlsoIn: !alsoIn.isEmpty,
            language: article.language, imageURL: image, imageAlt: clean(article.imageCaption ?? article.title), hasImage: image != nil)
    }

    /// The date formats a digest uses, made once per digest (formatters are costly to create).
    private struct DateFormats {
        let longDay: DateFormatter
        let shortDay: DateFormatter
        let time: DateFormatter

        init(timeZone: TimeZone, strings: DigestStrings) {
            func formatter(_ format: String) -> DateFormatter {
                let formatter = DateFormatter()
                formatter.locale = Locale(identifier: strings.locale)
                formatter.timeZone = timeZone
                formatter.dateFormat = format
                return formatter
            }
            longDay = formatter(strings.longDate)
            shortDay = formatter(strings.shortDate)
            time = formatter(strings.dateTime)
        }
    }

    /// The URL when it is an http or https link, else nil: a feed cannot put `javascript:`
    /// or `data:` links into a digest.
    static func webLink(_ url: String) -> String? {
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        let lower = trimmed.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://") ? trimmed : nil
    }

    /// "A", "A and B", "A, B and C", with `and` (spaces included) from the strings.
    static func joinedNames(_ names: [String], and: String = " and ") -> String {
        guard names.count > 1, let last = names.last else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + and + last
    }

    /// The text with no-break spaces, so the text part's wrapping never splits it: a tag
    /// name ("international stabilization force") is one word.
    static func unbreakable(_ text: String) -> String {
        text.replacingOccurrences(of: " ", with: "\u{A0}")
    }

    /// " · " between tags in text, its first space a no-break one: no line starts with "·".
    static let textSeparator = "\u{A0}· "

    /// A lowercase fragment id built from a heading.
    static func anchor(_ title: String) -> String {
        let words = title.lowercased().split { !($0.isLetter || $0.isNumber) }
        return words.isEmpty ? "section" : words.joined(separator: "-")
    }
}

extension String {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}

/// Stored text is cleaned on the way in; cleaning again on the way out keeps a message safe
/// from rows written by older versions or by hand (`UntrustedText`).
private func clean(_ text: String) -> String { UntrustedText.clean(text) }
