import Foundation
import GazetteModel

extension Article {
    /// An article with sensible defaults, so a test states only the fields it cares about.
    public static func fixture(
        _ title: String = "Headline", url: String? = nil, section: String = "News > Middle East", tags: [String] = [],
        publishedAt: Date? = nil, firstSeenAt: Date = Date(timeIntervalSince1970: 1_764_000_000), source: String = "sample"
    ) -> Article {
        let slug = title.lowercased().split { !$0.isLetter && !$0.isNumber }.joined(separator: "-")
        let link = url ?? "https://sample.test/\(slug)/"
        return Article(
            sourceName: source, guid: link, url: link, title: title, summary: "Summary of \(title).",
            authors: ["Staff"], publishedAt: publishedAt ?? firstSeenAt, section: SectionPath(parsing: section),
            tags: tags, firstSeenAt: firstSeenAt)
    }
}

extension SubscriberList {
    public static func fixture(name: String = "daily", sectionDepth: Int = 2) -> SubscriberList {
        SubscriberList(
            name: name, title: "Sample Daily", senderName: "Sample Digest", senderAddress: "digest@sample.test",
            sectionDepth: sectionDepth)
    }
}
