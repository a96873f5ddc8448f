import Foundation
import GazetteModel

extension DigestViewModel {
    /// Formats a digest for the templates; dates in `timeZone`.
    public init(digest: Digest, date: Date, timeZone: TimeZone, links: DigestLinks) {
        let formats = DateFormats(timeZone: timeZone)
        var numbers: [String: Int] = [:]
        var number = 0
        func item(_ entry: DigestEntry) -> Item {
            number += 1
            numbers[entry.article.url] = number
            return Self.item(entry, number: number, formats: formats)
        }
        let top = digest.topStories.map(item)
        let sections = digest.sections.map { section in
            Section(
                title: clean(section.title), anchor: Self.anchor(section.title), count: section.entries.count,
                hasItems: !section.entries.isEmpty, items: section.entries.map(item), moreCount: section.moreCount, hasMore: section.moreCount > 0,
                moreText: "and \(section.moreCount) more in \(clean(section.title))")
        }
        let tagIndex = digest.tagIndex.map { tag in
            let links = tag.articleURLs.compactMap { numbers[$0] }.map { ArticleLink(number: $0, anchor: "a\($0)") }
            return Tag(name: clean(tag.tag), count: tag.count, articles: links, numbers: links.map { String($0.number) }.joined(separator: ", "))
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
            tagIndexLine: tagIndex.map { tag in ([tag.name] + tag.articles.map { "[\($0.number)]" }).joined(separator: " ") }
                .joined(separator: " · "),
            generator: "Gazette \(GazetteVersion.current)",
            unsubscribeURL: links.unsubscribeURL ?? links.unsubscribeMailto,
            unsubscribeMailto: links.unsubscribeMailto,
            preferencesURL: links.preferencesURL,
            hasPreferencesURL: links.preferencesURL != nil)
    }

    private static func item(_ entry: DigestEntry, number: Int, formats: DateFormats) -> Item {
        let article = entry.article
        let tags = entry.tags.map { Tag(name: clean($0), count: 1, articles: [], numbers: "") }
        let image = article.imageURL.flatMap(webLink)
        let alsoIn = entry.alsoIn.map(\.description).joined(separator: " · ")
        return Item(
            number: number, anchor: "a\(number)", title: clean(article.title), url: webLink(article.url) ?? "#",
            summary: clean(article.summary), hasSummary: !article.summary.isEmpty, authors: joinedNames(article.authors.map(clean)),
            hasAuthors: !article.authors.isEmpty, time: formats.time.string(from: article.displayTime), tags: tags,
            hasTags: !tags.isEmpty, tagLine: entry.tags.map(clean).joined(separator: " · "), alsoIn: alsoIn, hasAlsoIn: !alsoIn.isEmpty,
            language: article.language, imageURL: image, imageAlt: clean(article.imageCaption ?? article.title), hasImage: image != nil)
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
