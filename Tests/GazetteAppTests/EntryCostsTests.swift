import DigestBuilding
import Foundation
import GazetteModel
import GazetteTestSupport
import Mailing
import Testing

@testable import GazetteApp

/// What an article costs the HTML budget is read from its block (`ArticleBlocks`), not from
/// rendering a digest with and without it; it must still be what it adds to a real digest,
/// and the same whoever's digest and whatever order it is costed in (so preview and the run
/// trim alike).
@Suite struct EntryCostsTests {
    static let now = Date(timeIntervalSince1970: 1_795_676_400)

    /// Articles unlike one another: Hebrew, a long summary, an image with a caption, many tags.
    static let entries: [DigestEntry] = {
        var hebrew = Article.fixture("טורקיה מצטרפת לכוח הייצוב", section: "חדשות > המזרח התיכון", tags: ["טורקיה", "ISF"])
        hebrew.summary = "שר החוץ הטורקי אמר כי ארצו תשלח חיילים לכוח הבינלאומי בעזה, בתנאים."
        var long = Article.fixture("A long read", section: "Opinions", tags: ["Analysis"])
        long.summary = String(repeating: "Words & more words, quoted \"like this\". ", count: 30)
        var pictured = Article.fixture("Pictured", section: "News > Middle East", tags: ["Turkey", "ISF", "Gaza", "UN"])
        pictured.imageURL = "https://sample.test/images/lead.jpg"
        pictured.imageCaption = "Soldiers at the border (Photo: Reuters)"
        let plain = Article.fixture("Plain", section: "News > Middle East")
        return [hebrew, long, pictured, plain].map { DigestEntry(article: $0) }
    }()

    static func list(preferences: Bool) -> SubscriberList {
        var list = SubscriberList.fixture()
        if preferences { list.preferencesURLTemplate = "https://news.sample.test/preferences?token={token}" }
        return list
    }

    /// The HTML size as sent of a one-section digest of `entries`, rendered in full (no blocks),
    /// for the stand-in reader and links `EntryCosts` uses.
    static func fullSize(_ entries: [DigestEntry], path: SectionPath, list: SubscriberList, templates: DigestTemplates) throws
        -> EncodedSize
    {
        let digest = Digest(
            list: list, subscriber: Subscriber(email: "reader@example.invalid", createdAt: now),
            window: DigestWindow(start: now - 86_400, end: now), sections: [DigestSection(path: path, entries: entries)],
            tagIndex: DigestBuilder.tagIndex(entries))
        let links = DigestLinks.make(
            token: "v1.0.\(list.name).AAAAAAAAAAAAAAAAAAAAAA", senderAddress: "unsubscribe@example.invalid",
            unsubscribeTemplate: nil, preferencesTemplate: list.preferencesURLTemplate)
        let model = DigestViewModel(digest: digest, date: now, timeZone: .gmt, links: links)
        return try templates.htmlEncodedSize(model)
    }

    @Test(arguments: [false, true])
    func anArticleCostsWhatItAddsToARenderedDigest(preferences: Bool) throws {
        let templates = try DigestTemplates.load()
        let list = Self.list(preferences: preferences)
        let costs = DigestDelivery.EntryCosts(list: list, date: Self.now, timeZone: .gmt, templates: templates)
        #expect(costs.blocks != nil, "the default templates allow article blocks")
        let digest = Digest(
            list: list, subscriber: Subscriber(email: "r@sample.test", createdAt: Self.now),
            window: DigestWindow(start: Self.now - 86_400, end: Self.now),
            sections: [DigestSection(path: SectionPath(parsing: "Mixed"), entries: Self.entries)], tagIndex: [])
        let estimate = costs.costs(for: digest, sentAs: EncodedSize(quotedPrintable: 1, base64: 2))
        for entry in Self.entries {
            var twin = entry
            twin.article.url += "#other"
            // Rendered in full: a digest of nine twins (so numbers have the costed two digits),
            // with and without the entry.
            let before = Array(repeating: twin, count: 9).enumerated().map { index, twin in
                var copy = twin
                copy.article.url += "\(index)"
                return copy
            }
            let path = entry.article.section
            let with = try Self.fullSize(before + [entry], path: path, list: list, templates: templates)
            let without = try Self.fullSize(before, path: path, list: list, templates: templates)
            let added = with.quotedPrintable - without.quotedPrintable
            let cost = estimate.entry(entry)
            // Quoted-printable's soft line breaks fall differently in a block than in the
            // whole part: a few bytes either way.
            #expect(abs(cost - added) <= max(12, added / 50), "\(entry.article.title): costed \(cost), adds \(added)")
            #expect(added > 300, "a real article adds real bytes (\(added))")
        }
    }

    /// A one-section digest of `entries`.
    static func mixed(_ entries: [DigestEntry], list: SubscriberList) -> Digest {
        Digest(
            list: list, subscriber: Subscriber(email: "r@sample.test", createdAt: now),
            window: DigestWindow(start: now - 86_400, end: now),
            sections: [DigestSection(path: SectionPath(parsing: "Mixed"), entries: entries)], tagIndex: [])
    }

    /// What `costs` says each of `entries` costs at each level, for trimming `digest`.
    static func readings(_ digest: Digest, of entries: [DigestEntry], from costs: DigestDelivery.EntryCosts)
        -> [String: Int]
    {
        let estimate = costs.costs(for: digest, sentAs: EncodedSize(quotedPrintable: 1, base64: 2))
        var result: [String: Int] = [:]
        for entry in entries {
            for level in DigestTrimmer.Level.allCases {
                result["\(entry.article.url) \(level)"] = estimate.entry(DigestTrimmer.trimmed(entry, to: level))
            }
        }
        return result
    }

    @Test func aCostIsTheSameWhateverTheOrderAndTheReadersImportance() throws {
        let templates = try DigestTemplates.load()
        let list = Self.list(preferences: true)
        func costs(of entries: [DigestEntry]) -> [String: Int] {
            let costs = DigestDelivery.EntryCosts(list: list, date: Self.now, timeZone: .gmt, templates: templates)
            return Self.readings(Self.mixed(entries, list: list), of: Self.entries, from: costs)
        }
        let forward = costs(of: Self.entries)
        let backward = costs(of: Self.entries.reversed().map { entry in
            var followed = entry
            followed.importance = 3  // a reader who follows its tags
            return followed
        })
        #expect(forward == backward)
        #expect(Set(forward.values).count > 4, "levels and articles cost differently")
    }

    /// One edition's workers share one `EntryCosts` (and its blocks): costed at once from
    /// several threads, in digests that overlap, an entry costs what a costing of its own
    /// digest alone gives, at every level.
    @Test func workersSharingCostsGetWhatEachWouldAlone() async throws {
        let templates = try DigestTemplates.load()
        let list = Self.list(preferences: true)
        // Twelve digests over the entries and their copies, each a different mix and order.
        var pool: [DigestEntry] = []
        for copy in 0..<3 {
            for entry in Self.entries {
                var other = entry
                other.article.url += "?copy=\(copy)"
                other.article.title += " \(copy)"
                pool.append(other)
            }
        }
        let digests: [Digest] = (0..<12).map { number in
            let chosen = pool.enumerated().filter { ($0.offset + number) % 3 != 0 }.map(\.element)
            return Self.mixed(number.isMultiple(of: 2) ? chosen : chosen.reversed(), list: list)
        }
        func readings(_ digest: Digest, from costs: DigestDelivery.EntryCosts) -> [String: Int] {
            Self.readings(digest, of: digest.entries, from: costs)
        }
        let alone = digests.map {
            readings($0, from: DigestDelivery.EntryCosts(list: list, date: Self.now, timeZone: .gmt, templates: templates))
        }
        let shared = DigestDelivery.EntryCosts(list: list, date: Self.now, timeZone: .gmt, templates: templates)
        let together = try await withThrowingTaskGroup(of: (Int, [String: Int]).self) { group in
            for (index, digest) in digests.enumerated() {
                group.addTask { (index, Self.readings(digest, of: digest.entries, from: shared)) }
            }
            var found = [[String: Int]](repeating: [:], count: digests.count)
            for try await (index, reading) in group { found[index] = reading }
            return found
        }
        #expect(together == alone)
        #expect(Set(alone.flatMap(\.values)).count > 8, "copies, levels and articles cost differently")
    }
}
