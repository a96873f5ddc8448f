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

        init(list: SubscriberList, date: Date, timeZone: TimeZone, templates: DigestTemplates) {
            self.list = list
            self.date = date
            self.timeZone = timeZone
            self.templates = templates
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
                digest: digest, date: date, timeZone: timeZone, links: links, strings: templates.strings(for: list.language))
            return (try? templates.htmlEncodedSize(model)) ?? EncodedSize(quotedPrintable: 0, base64: 0)
        }
    }

    /// Where trimming ended for digests already fitted this edition, so a subscriber whose
    /// digest and personal values' lengths match an earlier one's starts from the result
    /// instead of measuring the untrimmed digest again.
    ///
    /// The same digest, reader shape and value lengths give the same HTML sizes at every step,
    /// so the result is the one `gazette preview` reaches from the start. At most `capacity`
    /// results are kept; when full, the cache starts over.
    struct FitCache {
        var capacity = 256

        struct Key: Hashable {
            var digest: Digest
            var shape: DigestPersonalization.Shape
            var lengths: [Int]
        }

        private var fitted: [Key: (digest: Digest, level: DigestTrimmer.Level)] = [:]

        static func key(_ digest: Digest, personalization: DigestPersonalization) -> Key {
            var shared = digest
            shared.subscriber = Subscriber(email: "", createdAt: .distantPast)
            shared.decisions = []
            return Key(digest: shared, shape: personalization.shape, lengths: personalization.byteLengths)
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
