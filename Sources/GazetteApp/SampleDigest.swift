import Foundation
import GazetteModel
import Mailing

/// A small made-up digest — two sections, a tag index, an image — that exercises every part
/// of the templates, for `gazette doctor` to render without touching the database.
enum SampleDigest {
    static let list = SubscriberList(
        name: "sample", title: "Sample Digest", senderName: "Gazette", senderAddress: "digest@example.org")

    static func model(list: SubscriberList, date: Date, timeZone: TimeZone, strings: DigestStrings? = nil) -> DigestViewModel {
        let seen = date.addingTimeInterval(-3600)
        let articles = [
            Article(
                sourceName: "sample", guid: "sample-1", url: "https://example.org/news/1", title: "A first sample story",
                summary: "What the first story is about, in a sentence or two.", authors: ["A. Writer"],
                publishedAt: seen, section: SectionPath(parsing: "News > World"), tags: ["Sample", "World"],
                firstSeenAt: seen, imageURL: "https://example.org/news/1.jpg", imageCaption: "A sample picture"),
            Article(
                sourceName: "sample", guid: "sample-2", url: "https://example.org/opinion/2", title: "A second sample story",
                summary: "An opinion, for the second section.", publishedAt: seen, section: SectionPath(parsing: "Opinions"),
                tags: ["Sample"], firstSeenAt: seen),
        ]
        let sections = articles.map { DigestSection(path: $0.section, entries: [DigestEntry(article: $0)]) }
        let digest = Digest(
            list: list, subscriber: Subscriber(id: 1, email: "reader@example.org", name: "Sample Reader", createdAt: seen),
            window: DigestWindow(start: date.addingTimeInterval(-86_400), end: date), sections: sections,
            tagIndex: [TagCount(tag: "Sample", count: 2, articleURLs: articles.map(\.url))])
        let links = DigestLinks(unsubscribeURL: "https://example.org/unsubscribe?t=sample", unsubscribeMailto: "mailto:\(list.senderAddress)")
        return DigestViewModel(digest: digest, date: date, timeZone: timeZone, links: links, strings: strings)
    }
}
