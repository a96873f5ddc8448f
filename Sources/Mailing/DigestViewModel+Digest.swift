import Foundation
import GazetteModel

extension DigestViewModel {
    /// How many tags the short index at the top of the HTML part shows.
    public static let indexTagLimit = 12

    /// Formats a digest for the templates; dates in `timeZone`.
    public init(digest: Digest, date: Date, timeZone: TimeZone, links: DigestLinks) {
        let formats = DateFormats(timeZone: timeZone)
        let follow = TagLinks(preferencesURL: links.preferencesURL)
        var numbers: [String: Int] = [:]
        var number = 0
        func item(_ entry: DigestEntry) -> Item {
            number += 1
            numbers[entry.article.url] = number
            return Self.item(entry, number: number, formats: formats, follow: follow)
        }
        let top = digest.topStories.map(item)
        let sections = digest.sections.map { section in
            let title = clean(section.title)
            let direction = TextDirection.of(text: title)
            return Section(
                title: title, anchor: Self.anchor(section.title), direction: direction.rawValue, align: direction.align,
                count: section.entries.count, hasItems: !section.entries.isEmpty, items: section.entries.map(item),
                moreCount: section.moreCount, hasMore: section.moreCount > 0,
                moreText: "and \(section.moreCount) more in \(title)")
        }
        let tagIndex = digest.tagIndex.map { tag in
            let links = tag.articleURLs.compactMap { numbers[$0] }.map { ArticleLink(number: $0, anchor: "a\($0)") }
            var indexed = follow.tag(clean(tag.tag), within: .leftToRight)
            indexed.count = tag.count
            indexed.articles = links
            indexed.numbers = links.map { String($0.number) }.joined(separator: ", ")
            return indexed
        }
        let count = digest.articleCount
        let headlines = digest.articles.prefix(3).map { clean($0.title) }.joined(separator: " · ")
        self.init(
            subject: "\(digest.list.title) — \(formats.shortDay.string(from: date))",
            preheader: count == 0 ? "Nothing new since \(formats.time.string(from: digest.window.start))"
                : "\(count) \(count == 1 ? "article" : "articles"): \(headlines)",
            list: List(
                name: digest.list.name, title: digest.list.title, senderName: digest.list.senderName,
                senderAddress: digest.list.senderAddress),
            reader: Reader(subscriber: digest.subscriber),
            date: formats.longDay.string(from: date),
            since: formats.time.string(from: digest.window.start),
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
                ([BidiIsolate.forText(tag.name)] + tag.articles.map { "[\($0.number)]" }).joined(separator: " ")
            }
            .joined(separator: " · "),
            generator: "Gazette \(GazetteVersion.current)",
            unsubscribeURL: links.unsubscribeURL ?? links.unsubscribeMailto,
            unsubscribeMailto: links.unsubscribeMailto,
            preferencesURL: links.preferencesURL,
            hasPreferencesURL: links.preferencesURL != nil)
    }

    private static func item(_ entry: DigestEntry, number: Int, formats: DateFormats, follow: TagLinks) -> Item {
        let article = entry.article
        let title = clean(article.title)
        let summary = clean(article.summary)
        let direction = TextDirection.of(language: article.language, text: title + " " + summary)
        let tags = entry.tags.map { follow.tag(clean($0), within: direction) }
        let image = article.imageURL.flatMap(webLink)
        let alsoIn = entry.alsoIn.map(\.description).joined(separator: " · ")
        return Item(
            number: number, anchor: "a\(number)", title: title, url: webLink(article.url) ?? "#",
            summary: summary, hasSummary: !article.summary.isEmpty, authors: joinedNames(article.authors.map(clean)),
            hasAuthors: !article.authors.isEmpty, time: formats.time.string(from: article.displayTime), tags: tags,
            hasTags: !tags.isEmpty, tagLine: tags.map { BidiIsolate.forText($0.name) }.joined(separator: " · "), alsoIn: alsoIn,
            hasAlsoIn: !alsoIn.isEmpty, language: article.language, direction: direction.rawValue,
            isRightToLeft: direction == .rightToLeft, align: direction.align, titleRuns: DirectionRun.runs(title, in: direction),
            summaryRuns: DirectionRun.runs(summary, in: direction), imageURL: image,
            imageAlt: clean(Self.withoutCredit(article.imageCaption ?? article.title)), hasImage: image != nil)
    }

    /// Builds tags with their follow links: the list's preferences page with `follow_tag`,
    /// which the page ticks for the reader to save.
    private struct TagLinks {
        let preferencesURL: String?

        func tag(_ name: String, within direction: TextDirection) -> Tag {
            let own = TextDirection.of(text: name)
            let url = preferencesURL.map { page in
                let encoded = name.addingPercentEncoding(withAllowedCharacters: Self.queryValue) ?? name
                return page + (page.contains("?") ? "&" : "?") + "follow_tag=" + encoded
            }
            return Tag(
                name: name, count: 1, articles: [], numbers: "", url: url, hasURL: url != nil, direction: own.rawValue,
                isolated: own != direction)
        }

        /// Unreserved characters only: a tag's `&`, `=`, `+` or `#` would end the value.
        private static let queryValue = CharacterSet(
            charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
    }

    /// The caption without a trailing photo credit: "(צילום: רויטרס)", "(Photo: Reuters)",
    /// "Photo: AP". Alt text says what the picture shows; the credit is for the page.
    static func withoutCredit(_ caption: String) -> String {
        let pattern = /\s*[(\[]?\s*\b(?i:photo|photograph|picture|credit|image|צילום|קרדיט|صورة|تصوير)\s*(?i:by)?\s*[:：].*$/
        guard let match = caption.firstMatch(of: pattern) else { return caption }
        let kept = caption[..<match.range.lowerBound].trimmingCharacters(in: .whitespaces)
        return kept.isEmpty ? caption : kept
    }

    /// The date formats a digest uses, made once per digest (formatters are costly to create).
    private struct DateFormats {
        let longDay: DateFormatter
        let shortDay: DateFormatter
        let time: DateFormatter

        init(timeZone: TimeZone) {
            func formatter(_ format: String) -> DateFormatter {
                let formatter = DateFormatter()
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.timeZone = timeZone
                formatter.dateFormat = format
                return formatter
            }
            longDay = formatter("EEEE, d MMMM yyyy")
            shortDay = formatter("d MMM yyyy")
            time = formatter("d MMM yyyy, HH:mm")
        }
    }

    /// The URL when it is an http or https link, else nil: a feed cannot put `javascript:`
    /// or `data:` links into a digest.
    static func webLink(_ url: String) -> String? {
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        let lower = trimmed.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://") ? trimmed : nil
    }

    /// "A", "A and B", "A, B and C".
    static func joinedNames(_ names: [String]) -> String {
        guard names.count > 1, let last = names.last else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + last
    }

    /// A lowercase fragment id built from a heading.
    static func anchor(_ title: String) -> String {
        let words = title.lowercased().split { !($0.isLetter || $0.isNumber) }
        return words.isEmpty ? "section" : words.joined(separator: "-")
    }
}

/// Stored text is cleaned on the way in; cleaning again on the way out keeps a message safe
/// from rows written by older versions or by hand (`UntrustedText`).
private func clean(_ text: String) -> String { UntrustedText.clean(text) }
