import Foundation
import GazetteModel
import Synchronization

extension DigestViewModel {
    /// How many tags the short index at the top of the HTML part shows.
    public static let indexTagLimit = 8

    /// Formats a digest for the templates; dates in `timeZone`, words from `strings` (by
    /// default the built-in strings of the list's language, else English).
    /// - Parameter items: items already formatted this edition, reused when they were made
    ///   with the same time zone and strings (`ItemMemo`).
    public init(
        digest: Digest, date: Date, timeZone: TimeZone, links: DigestLinks, strings: DigestStrings? = nil,
        items memo: ItemMemo? = nil
    ) {
        let strings = strings ?? DigestStrings.builtIn(for: digest.list.language) ?? DigestStrings.english
        let formats = DateFormats(timeZone: timeZone, strings: strings)
        let chrome: TextDirection = strings.direction == "rtl" ? .rightToLeft : .leftToRight  // the list's own words
        let follow = TagLinks(preferencesURL: links.preferencesURL)
        let memo = memo.flatMap { $0.serves(timeZone: timeZone, strings: strings) ? $0 : nil }
        var numbers: [String: Int] = [:]
        var number = 0
        func item(_ entry: DigestEntry) -> Item {
            number += 1
            numbers[entry.article.url] = number
            guard let memo else {
                return Self.item(entry, number: number, formats: formats, strings: strings, follow: follow, chrome: chrome)
            }
            var item = memo.item(entry) {
                Self.item(
                    entry, number: 0, formats: formats, strings: strings, follow: TagLinks(preferencesURL: nil), chrome: chrome)
            }
            item.number = number
            item.anchor = "a\(number)"
            if follow.preferencesURL != nil {
                for index in item.tags.indices {
                    item.tags[index].url = follow.url(item.tags[index].name)
                    item.tags[index].hasURL = true
                }
            }
            return item
        }
        let top = digest.topStories.map(item)
        let sections = digest.sections.map { section in
            let title = clean(section.title)
            let direction = TextDirection.of(text: title)
            return Section(
                title: title, anchor: Self.anchor(section.title), direction: direction.rawValue, align: direction.align,
                count: section.entries.count, hasItems: !section.entries.isEmpty, items: section.entries.map(item),
                moreCount: section.moreCount, hasMore: section.moreCount > 0,
                moreText: strings.plural("andMore", count: section.moreCount, ["section": title]))
        }
        let tagIndex = digest.tagIndex.map { tag in
            let links = tag.articleURLs.compactMap { numbers[$0] }.map { ArticleLink(number: $0, anchor: "a\($0)") }
            var indexed = follow.tag(clean(tag.tag), within: chrome)
            indexed.count = tag.count
            indexed.articles = links
            indexed.numbers = links.map { String($0.number) }.joined(separator: ", ")
            return indexed
        }
        let count = digest.articleCount
        let since = formats.time.string(from: digest.window.start)
        let headlines = digest.articles.prefix(3).map { clean($0.title) }.joined(separator: " · ")
        let lead = digest.articles.first.map { clean($0.title) } ?? ""
        self.init(
            subject: "",
            t: Self.strings(strings, count: count, since: since, listTitle: digest.list.title, headlines: headlines),
            preheader: count == 0
                ? strings.text("nothingNewSince", ["since": since])
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
            indexTags: Array(tagIndex.prefix(Self.indexTagLimit)),
            tagIndexLine: tagIndex.map { tag in
                // The name and its first number stay together; the numbers may wrap.
                ([Self.unbreakable(BidiIsolate.forText(tag.name, chrome: chrome))] + tag.articles.map { "[\($0.number)]" })
                    .joined(separator: " ").replacingFirst(" ", with: "\u{A0}")
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
    private static func strings(_ strings: DigestStrings, count: Int, since: String, listTitle: String, headlines: String)
        -> [String: String]
    {
        let values = ["since": since, "title": listTitle, "headlines": headlines]
        var t: [String: String] = [:]
        for key in strings.texts.keys { t[key] = strings.text(key, values) }
        for key in strings.plurals.keys { t[key] = strings.plural(key, count: count, values) }
        t["andMoreArticles"] = strings.plural("andMoreArticles", count: max(count - 1, 0), values)
        return t
    }

    private static func item(
        _ entry: DigestEntry, number: Int, formats: DateFormats, strings: DigestStrings, follow: TagLinks, chrome: TextDirection
    ) -> Item {
        let article = entry.article
        let title = clean(article.title)
        let summary = clean(article.summary)
        let direction = TextDirection.of(language: article.language, text: title + " " + summary)
        let tags = entry.tags.map { follow.tag(clean($0), within: direction) }
        let image = article.imageURL.flatMap(webLink)
        let alsoIn = entry.alsoIn.map(\.description).joined(separator: " · ")
        return Item(
            number: number, anchor: "a\(number)", title: title, url: webLink(article.url) ?? "#",
            summary: summary, hasSummary: !article.summary.isEmpty,
            authors: joinedNames(article.authors.map(clean), and: strings.text("and")),
            hasAuthors: !article.authors.isEmpty, time: formats.time.string(from: article.displayTime), tags: tags,
            hasTags: !tags.isEmpty,
            tagLine: tags.map { unbreakable(BidiIsolate.forText($0.name, chrome: chrome)) }.joined(separator: textSeparator),
            alsoIn: alsoIn,
            hasAlsoIn: !alsoIn.isEmpty, language: article.language, direction: direction.rawValue,
            isRightToLeft: direction == .rightToLeft, align: direction.align, titleRuns: DirectionRun.runs(title, in: direction),
            summaryRuns: DirectionRun.runs(summary, in: direction), imageURL: image,
            imageAlt: clean(Self.withoutCredit(article.imageCaption ?? article.title)), hasImage: image != nil)
    }

    /// Builds tags with their follow links: the list's preferences page with `follow_tag`,
    /// which the page ticks for the reader to save.
    struct TagLinks {
        let preferencesURL: String?
        /// "&" after a page whose link already has a query (the usual `?token=…`), else "?".
        let separator: String

        init(preferencesURL: String?, separator: String? = nil) {
            self.preferencesURL = preferencesURL
            self.separator = separator ?? (preferencesURL?.contains("?") == true ? "&" : "?")
        }

        func tag(_ name: String, within direction: TextDirection) -> Tag {
            let own = TextDirection.of(text: name)
            let url = self.url(name)
            return Tag(
                name: name, count: 1, articles: [], numbers: "", url: url, hasURL: url != nil, direction: own.rawValue,
                isolated: own != direction)
        }

        func url(_ name: String) -> String? {
            preferencesURL.map { page in
                page + separator + "follow_tag=" + (name.addingPercentEncoding(withAllowedCharacters: Self.queryValue) ?? name)
            }
        }

        /// Unreserved characters only: a tag's `&`, `=`, `+` or `#` would end the value.
        private static let queryValue = CharacterSet(
            charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
    }

    /// Puts another preferences link in place, with every tag's follow link rebuilt on it
    /// (`DigestMessageTemplate` renders with a placeholder there and splices each reader's
    /// link in). The links keep the separator the real link called for.
    public mutating func replacePreferencesURL(with url: String?) {
        let links = TagLinks(preferencesURL: url, separator: TagLinks(preferencesURL: preferencesURL).separator)
        func relinked(_ tags: [Tag]) -> [Tag] {
            tags.map { tag in
                var tag = tag
                tag.url = links.url(tag.name)
                return tag
            }
        }
        func relinked(_ items: [Item]) -> [Item] {
            items.map { item in
                var item = item
                item.tags = relinked(item.tags)
                return item
            }
        }
        preferencesURL = url
        topStories = relinked(topStories)
        sections = sections.map { section in
            var section = section
            section.items = relinked(section.items)
            return section
        }
        tagIndex = relinked(tagIndex)
        indexTags = relinked(indexTags)
    }

    /// The caption without a trailing photo credit: "(צילום: רויטרס)", "(Photo: Reuters)",
    /// "Photo: AP". Alt text says what the picture shows; the credit is for the page.
    static func withoutCredit(_ caption: String) -> String {
        // Most captions name no credit; the regex (parsed anew at each use of a literal, and
        // slow to run) was half of building a digest's view model.
        guard mayHoldCredit(caption), let credit = creditStart(caption) else { return caption }
        let kept = caption[..<credit].trimmingCharacters(in: .whitespaces)
        return kept.isEmpty ? caption : kept
    }

    /// Where the trailing credit starts, by the pattern alone.
    static func creditStart(_ caption: String) -> String.Index? {
        let pattern = /\s*[(\[]?\s*\b(?i:photo|photograph|picture|credit|image|צילום|קרדיט|صورة|تصوير)\s*(?i:by)?\s*[:：].*$/
        return caption.firstMatch(of: pattern)?.range.lowerBound
    }

    /// Whether `caption` holds a colon and one of the credit words, compared lowercased (none
    /// of the words holds a letter whose other case folds to ASCII, as "ſ" does to "s"): the
    /// pattern of `withoutCredit` cannot match without both.
    static func mayHoldCredit(_ caption: String) -> Bool {
        guard caption.contains(":") || caption.contains("：") else { return false }
        let lower = caption.lowercased()
        return creditWords.contains { lower.contains($0) }
    }

    private static let creditWords = ["photo", "picture", "credit", "image", "צילום", "קרדיט", "صورة", "تصوير"]

    /// The date formats a digest uses. Formatters are costly to create (ICU opens a pattern
    /// each time: 7% of a newsroom's run when made per digest), so they are made once per
    /// time zone, locale and pattern and shared.
    private struct DateFormats {
        let longDay: DateFormatter
        let shortDay: DateFormatter
        let time: DateFormatter

        private static let made = Mutex<[String: DateFormatter]>([:])

        init(timeZone: TimeZone, strings: DigestStrings) {
            func formatter(_ format: String) -> DateFormatter {
                let key = "\(timeZone.identifier)\u{0}\(strings.locale)\u{0}\(format)"
                return Self.made.withLock { made in
                    if let known = made[key] { return known }
                    let formatter = DateFormatter()
                    formatter.locale = Locale(identifier: strings.locale)
                    formatter.timeZone = timeZone
                    formatter.dateFormat = format
                    made[key] = formatter
                    return formatter
                }
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

/// Items formatted once per edition: a newsroom's thousands of digests hold the same few
/// thousand articles, and formatting one (dates, direction runs, cleaning) was a quarter of
/// building each digest's view model. Items are kept without their number and their tags'
/// follow links, which each digest sets; at most `capacity` are kept, then it starts over.
public final class ItemMemo: @unchecked Sendable {
    let timeZone: TimeZone
    let strings: DigestStrings
    let capacity: Int
    private let lock = NSLock()
    private var items: [DigestEntry: DigestViewModel.Item] = [:]

    public init(timeZone: TimeZone, strings: DigestStrings, capacity: Int = 20_000) {
        self.timeZone = timeZone
        self.strings = strings
        self.capacity = capacity
    }

    func serves(timeZone: TimeZone, strings: DigestStrings) -> Bool {
        timeZone.identifier == self.timeZone.identifier && strings == self.strings
    }

    func item(_ entry: DigestEntry, make: () -> DigestViewModel.Item) -> DigestViewModel.Item {
        // Importance differs between subscribers (the tags they follow) and is not shown.
        var key = entry
        key.importance = 0
        if let known = lock.withLock({ items[key] }) { return known }
        // Made outside the lock: formatting an item (dates, direction runs) while holding it
        // kept an edition's other workers waiting for any item at all. Two that make the
        // same item make the same value, and the first kept is given to both.
        let item = make()
        return lock.withLock {
            if let first = items[key] { return first }
            if items.count >= capacity { items.removeAll(keepingCapacity: true) }
            items[key] = item
            return item
        }
    }
}
