import DigestBuilding
import Foundation
import GazetteModel
import Mailing

extension DigestDelivery {
    /// What each digest entry adds to the HTML as sent (transfer-encoded: Gmail clips at about
    /// 102 KB of that), measured once per edition and shared by every subscriber's trimming
    /// (`DigestTrimmer.fit`).
    ///
    /// An entry is measured by rendering a one-section digest holding a twin of it (same tags,
    /// another URL) with and without the entry, so the difference is what the templates give
    /// the entry itself plus its links in the tag index, whatever the templates are. The reader
    /// and links are fixed stand-ins, so the costs, and the trimming, are the same for every
    /// subscriber and for `gazette preview`.
    final class EntryCosts {
        let list: SubscriberList
        let date: Date
        let timeZone: TimeZone
        let templates: DigestTemplates
        private var entries: [DigestEntry: EncodedSize] = [:]
        private var moreLines: [SectionPath: EncodedSize] = [:]

        /// The edition's article blocks, when delivery has them (the same sizes, rendered faster).
        let blocks: ArticleBlocks?
        /// The entries formatted once for all the measurements.
        let items: ItemMemo

        init(list: SubscriberList, date: Date, timeZone: TimeZone, templates: DigestTemplates, blocks: ArticleBlocks? = nil) {
            self.list = list
            self.date = date
            self.timeZone = timeZone
            self.templates = templates
            self.blocks = blocks
            items = ItemMemo(timeZone: timeZone, strings: DigestDelivery.strings(of: list, templates: templates))
        }

        /// The costs `DigestTrimmer.fit` reads for `digest`, in bytes of the encoding its HTML
        /// is `sentAs` (removing entries seldom changes which is smaller; the caller measures the
        /// result again either way): the "and N more" line measured for its longest section
        /// title with a four-digit count, so the estimate errs large.
        func costs(for digest: Digest, sentAs size: EncodedSize) -> DigestTrimmer.Costs {
            let unit = { (cost: EncodedSize) in size.isBase64 ? cost.base64 : cost.quotedPrintable }
            let longest = digest.sections.max { $0.title.utf8.count < $1.title.utf8.count }
            let line = longest.map { unit(moreLine($0.path, sample: $0.entries.first ?? digest.entries.first)) } ?? 0
            return DigestTrimmer.Costs(entry: { [unowned self] in unit(cost(of: $0)) }, moreLine: line)
        }

        /// What `entry` adds to the HTML, in each encoding.
        func cost(of entry: DigestEntry) -> EncodedSize {
            if let known = entries[entry] { return known }
            let twin = Self.twin(of: entry)
            let path = entry.article.section
            let cost = Self.difference(
                htmlSize([DigestSection(path: path, entries: [twin, entry])]), htmlSize([DigestSection(path: path, entries: [twin])]))
            entries[entry] = cost
            return cost
        }

        private func moreLine(_ path: SectionPath, sample: DigestEntry?) -> EncodedSize {
            if let known = moreLines[path] { return known }
            guard let sample else { return EncodedSize(quotedPrintable: 0, base64: 0) }
            let entries = [Self.twin(of: sample)]
            let cost = Self.difference(
                htmlSize([DigestSection(path: path, entries: entries, moreCount: 1000)]), htmlSize([DigestSection(path: path, entries: entries)]))
            moreLines[path] = cost
            return cost
        }

        private static func difference(_ with: EncodedSize, _ without: EncodedSize) -> EncodedSize {
            EncodedSize(
                quotedPrintable: max(0, with.quotedPrintable - without.quotedPrintable), base64: max(0, with.base64 - without.base64))
        }

        private static func twin(of entry: DigestEntry) -> DigestEntry {
            var twin = entry
            twin.article.url += "#twin"
            return twin
        }

        private func htmlSize(_ sections: [DigestSection]) -> EncodedSize {
            let digest = Digest(
                list: list, subscriber: Subscriber(email: "reader@example.invalid", createdAt: date),
                window: DigestWindow(start: date - 86_400, end: date), sections: sections,
                tagIndex: DigestBuilder.tagIndex(sections.flatMap(\.entries)))
            // A preferences link when the list has one: every tag then links to following it
            // (`follow_tag`), so the links are much of what an entry adds.
            let links = DigestLinks.make(
                token: "v1.0.\(list.name).AAAAAAAAAAAAAAAAAAAAAA", senderAddress: "unsubscribe@example.invalid",
                unsubscribeTemplate: nil, preferencesTemplate: list.preferencesURLTemplate)
            let model = DigestViewModel(
                digest: digest, date: date, timeZone: timeZone, links: links, strings: templates.strings(for: list.language), items: items)
            return (try? templates.htmlEncodedSize(model, blocks: blocks)) ?? EncodedSize(quotedPrintable: 0, base64: 0)
        }
    }

    /// The reader a digest is measured for against the HTML budget, in place of each
    /// subscriber: their shape (a name or none), with an address and a name as long as they
    /// may be (254 bytes, RFC 5321's longest path; 200 bytes HTML-escaped for the name).
    ///
    /// Sizes measured for this reader are at least each subscriber's, so a digest trimmed for
    /// it fits for all of them, and the trimming no longer depends on whose digest it is:
    /// subscribers who follow the same things get one trimming and one rendering, and
    /// `gazette preview` trims as the run does. A subscriber whose own address or name is
    /// longer still is measured as themselves.
    static func sizingReader(for subscriber: Subscriber) -> Subscriber {
        let reader = DigestViewModel.Reader(subscriber: subscriber)
        guard HTMLEscaping.escape(reader.email).utf8.count <= longestAddress,
            HTMLEscaping.escape(reader.name ?? "").utf8.count <= longestName
        else { return subscriber }
        var stand = subscriber
        stand.email = String(repeating: "x", count: longestAddress)
        stand.name = reader.name.map { $0.isEmpty ? "" : String(repeating: "x", count: longestName) }
        return stand
    }

    /// The strings a list's digests are formatted with (`DigestViewModel`'s choice).
    static func strings(of list: SubscriberList, templates: DigestTemplates) -> DigestStrings {
        templates.strings(for: list.language) ?? DigestStrings.builtIn(for: list.language) ?? DigestStrings.english
    }

    static let longestAddress = 254
    static let longestName = 200

    /// Where trimming ended for digests already fitted this edition, so every subscriber of a
    /// digest after the first starts from the result instead of measuring it again.
    ///
    /// Digests are measured for `sizingReader`, so the result depends only on the digest, the
    /// reader's shape and the lengths of the values measured (the links' lengths differ with
    /// the subscriber id's digits): it is the one `gazette preview` reaches from the start.
    /// At most `capacity` results are kept; when full, the cache starts over.
    struct FitCache {
        var capacity = 256

        struct Key: Hashable {
            var digest: Digest
            var shape: DigestPersonalization.Shape
            var lengths: [Int]
        }

        private var fitted: [Key: (digest: Digest, level: DigestTrimmer.Level)] = [:]

        /// The key of `digest` measured for `measuring` (a `sizingReader`'s personalization).
        static func key(_ digest: Digest, measuring: DigestPersonalization) -> Key {
            var shared = digest
            shared.subscriber = Subscriber(email: "", createdAt: .distantPast)
            shared.decisions = []
            return Key(digest: shared, shape: measuring.shape, lengths: measuring.byteLengths)
        }

        /// The fitted digest for `key`, given back to the subscriber of `digest`.
        func start(_ key: Key, for digest: Digest) -> (digest: Digest, level: DigestTrimmer.Level)? {
            guard var known = fitted[key] else { return nil }
            known.digest.subscriber = digest.subscriber
            return known
        }

        mutating func remember(_ key: Key, _ digest: Digest, level: DigestTrimmer.Level) {
            if fitted.count >= capacity { fitted.removeAll(keepingCapacity: true) }
            fitted[key] = (digest, level)
        }
    }
}
