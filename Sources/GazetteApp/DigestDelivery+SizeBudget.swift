import DigestBuilding
import Foundation
import GazetteModel
import Mailing

extension DigestDelivery {
    /// What each digest entry adds to the HTML as sent (transfer-encoded: Gmail clips at about
    /// 102 KB of that), worked out once per edition and shared by every subscriber's trimming
    /// (`DigestTrimmer.fit`).
    ///
    /// With the edition's article blocks (`ArticleBlocks`), an entry costs its block, the
    /// article partial's output for it, plus what the templates add around each article of
    /// its section outside the partial (measured once per section by rendering a one-section
    /// digest with and without a sample article, less the sample's block). The blocks of a
    /// digest's entries come from one view model per trimming level, so costing a 4,000-article
    /// edition renders each article once per level instead of two whole digests per article.
    ///
    /// Without blocks (templates that do not allow them), an entry is measured by rendering a
    /// one-section digest holding a twin of it (same tags, another URL) with and without it.
    ///
    /// The reader, the links and the number an entry is costed with are fixed stand-ins, and an
    /// entry's cost does not depend on its importance (which no template shows), so costs, and
    /// the trimming, are the same for every subscriber, in any order, and for `gazette preview`.
    ///
    /// One edition's workers share one: each article is costed once, not once per worker.
    final class EntryCosts: @unchecked Sendable {
        let list: SubscriberList
        let date: Date
        let timeZone: TimeZone
        let templates: DigestTemplates
        /// Guards the caches below.
        private let lock = NSLock()
        /// By `key(of:)`.
        private var entries: [DigestEntry: EncodedSize] = [:]
        private var moreLines: [SectionPath: EncodedSize] = [:]
        /// Entries as given (by `key(of:)`) whose every trimming level is in `entries`.
        private var costedAtEveryLevel = Set<DigestEntry>()
        /// The costs of those entries at each level, in `DigestTrimmer.Level` order: a digest's
        /// sums (`levelSums`) without trimming and hashing each entry four times.
        private var byLevel: [DigestEntry: [EncodedSize]] = [:]
        /// What a section's templates add around each article, outside its block.
        private var aroundArticles: [SectionPath: EncodedSize] = [:]

        /// The edition's article blocks, when the templates allow them.
        let blocks: ArticleBlocks?
        /// The entries formatted once for all the measurements.
        let items: ItemMemo

        /// The number entries are costed as: two digits, as most of a digest's are.
        static let costedNumber = 10

        /// - Parameters:
        ///   - blocks, items: the edition's, shared with its renderings (made here when not given).
        init(
            list: SubscriberList, date: Date, timeZone: TimeZone, templates: DigestTemplates, blocks: ArticleBlocks? = nil,
            items: ItemMemo? = nil
        ) {
            self.list = list
            self.date = date
            self.timeZone = timeZone
            self.templates = templates
            self.blocks = blocks ?? ArticleBlocks(templates: templates)
            self.items = items ?? ItemMemo(timeZone: timeZone, strings: DigestDelivery.strings(of: list, templates: templates))
        }

        /// The costs `DigestTrimmer.fit` reads for `digest`, in bytes of the encoding its HTML
        /// is `sentAs` (removing entries seldom changes which is smaller; the caller measures the
        /// result again either way): the "and N more" line measured for its longest section
        /// title with a four-digit count, so the estimate errs large.
        func costs(for digest: Digest, sentAs size: EncodedSize) -> DigestTrimmer.Costs {
            let unit = { (cost: EncodedSize) in size.isBase64 ? cost.base64 : cost.quotedPrintable }
            let line = lock.withLock {
                costBlocks(of: digest)
                let longest = digest.sections.max { $0.title.utf8.count < $1.title.utf8.count }
                return longest.map { unit(moreLine($0.path, sample: $0.entries.first ?? digest.entries.first)) } ?? 0
            }
            return DigestTrimmer.Costs(entry: { [unowned self] in unit(cost(of: $0)) }, moreLine: line)
        }

        /// What the entries of `digest` add to the HTML at each trimming level, in each
        /// encoding (`LevelSearch`).
        func levelSums(of digest: Digest) -> [DigestTrimmer.Level: EncodedSize] {
            let entries = digest.entries
            let levels = DigestTrimmer.Level.allCases
            return lock.withLock {
                costBlocks(of: digest)
                var sums = [EncodedSize](repeating: EncodedSize(quotedPrintable: 0, base64: 0), count: levels.count)
                for entry in entries {
                    // An entry's costs at every level, kept together when its blocks were costed.
                    let row = byLevel[Self.key(of: entry)] ?? levels.map { lockedCost(of: DigestTrimmer.trimmed(entry, to: $0)) }
                    for index in levels.indices { sums[index] = sums[index] + row[index] }
                }
                return Dictionary(uniqueKeysWithValues: zip(levels, sums))
            }
        }

        /// What `entry` adds to the HTML, in each encoding.
        func cost(of entry: DigestEntry) -> EncodedSize {
            lock.withLock { lockedCost(of: entry) }
        }

        private func lockedCost(of entry: DigestEntry) -> EncodedSize {
            let key = Self.key(of: entry)
            if let known = entries[key] { return known }
            let twin = Self.twin(of: entry)
            let path = entry.article.section
            let cost = Self.difference(
                htmlSize([DigestSection(path: path, entries: [twin, entry])]), htmlSize([DigestSection(path: path, entries: [twin])]))
            entries[key] = cost
            return cost
        }

        /// Costs, from their blocks, every entry of `digest` at every trimming level not yet
        /// costed: one view model per level that holds a new entry, each entry in a section of
        /// its article's own (where a top story is costed too).
        private func costBlocks(of digest: Digest) {
            guard let blocks else { return }
            // Most of a digest's entries were costed for an earlier digest: trimming each of
            // them to every level and looking that up again was a twentieth of a newsroom's run.
            var pending: [DigestEntry] = []
            var pendingKeys = Set<DigestEntry>()
            for entry in digest.entries {
                let key = Self.key(of: entry)
                if !costedAtEveryLevel.contains(key), pendingKeys.insert(key).inserted { pending.append(entry) }
            }
            guard !pending.isEmpty else { return }
            defer {
                costedAtEveryLevel.formUnion(pendingKeys)
                for entry in pending {
                    let costs = DigestTrimmer.Level.allCases.compactMap { entries[Self.key(of: DigestTrimmer.trimmed(entry, to: $0))] }
                    if costs.count == DigestTrimmer.Level.allCases.count { byLevel[Self.key(of: entry)] = costs }
                }
            }
            for level in DigestTrimmer.Level.allCases {
                var fresh: [DigestSection] = []
                var sectionIndex: [SectionPath: Int] = [:]
                var seen = Set<DigestEntry>()
                for entry in pending.lazy.map({ DigestTrimmer.trimmed($0, to: level) }) {
                    let key = Self.key(of: entry)
                    guard entries[key] == nil, seen.insert(key).inserted else { continue }
                    let path = entry.article.section
                    if let index = sectionIndex[path] {
                        fresh[index].entries.append(entry)
                    } else {
                        sectionIndex[path] = fresh.count
                        fresh.append(DigestSection(path: path, entries: [entry]))
                    }
                }
                guard !fresh.isEmpty, let sizes = blocks.htmlBlockSizes(model(fresh), numberedAs: Self.costedNumber) else {
                    continue
                }
                for (section, row) in zip(fresh, sizes) {
                    let around = aroundArticles(of: section.path)
                    for (entry, size) in zip(section.entries, row) { entries[Self.key(of: entry)] = size + around }
                }
            }
        }

        /// What the templates add for each article of a section besides its block (the
        /// default templates: only the newline after it): what a sample article adds to a
        /// one-section digest, less its block. Nine articles come before it, so it is numbered
        /// as entries are costed, and what only a digest's first few articles change (the
        /// headlines in the preheader, the plural of "new articles") is not counted for every one.
        private func aroundArticles(of path: SectionPath) -> EncodedSize {
            if let known = aroundArticles[path] { return known }
            func sample(_ name: String) -> DigestEntry {
                DigestEntry(
                    article: Article(
                        sourceName: "sample", guid: name, url: "https://example.invalid/" + name, title: "Sample",
                        section: path, firstSeenAt: date))
            }
            let before = (1..<Self.costedNumber).map { sample("before\($0)") }
            let with = [DigestSection(path: path, entries: before + [sample("sample")])]
            var around = EncodedSize(quotedPrintable: 0, base64: 0)
            if let blocks, let block = blocks.htmlBlockSizes(model(with))?.first?.last {
                around = Self.difference(
                    Self.difference(htmlSize(with), htmlSize([DigestSection(path: path, entries: before)])), block)
            }
            aroundArticles[path] = around
            return around
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

        /// An entry as its cost is kept: without its importance, which differs between
        /// subscribers (the tags they follow) and which no template shows.
        static func key(of entry: DigestEntry) -> DigestEntry {
            var key = entry
            key.importance = 0
            return key
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

        /// A digest of `sections` for the stand-in reader and links.
        private func model(_ sections: [DigestSection]) -> DigestViewModel {
            let digest = Digest(
                list: list, subscriber: Subscriber(email: "reader@example.invalid", createdAt: date),
                window: DigestWindow(start: date - 86_400, end: date), sections: sections,
                tagIndex: DigestBuilder.tagIndex(sections.flatMap(\.entries)))
            // A preferences link when the list has one: every tag then links to following it
            // (`follow_tag`), so the links are much of what an entry adds.
            let links = DigestLinks.make(
                token: "v1.0.\(list.name).AAAAAAAAAAAAAAAAAAAAAA", senderAddress: "unsubscribe@example.invalid",
                unsubscribeTemplate: nil, preferencesTemplate: list.preferencesURLTemplate)
            return DigestViewModel(
                digest: digest, date: date, timeZone: timeZone, links: links, strings: templates.strings(for: list.language), items: items)
        }

        private func htmlSize(_ sections: [DigestSection]) -> EncodedSize {
            (try? templates.htmlEncodedSize(model(sections), blocks: blocks)) ?? EncodedSize(quotedPrintable: 0, base64: 0)
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
        stand.email = standInAddress
        stand.name = reader.name.map { $0.isEmpty ? "" : standInName }
        return stand
    }

    /// The stand-in's address and name, made once: a reader is measured once per message.
    private static let standInAddress = String(repeating: "x", count: longestAddress)
    private static let standInName = String(repeating: "x", count: longestName)

    /// The strings a list's digests are formatted with (`DigestViewModel`'s choice).
    static func strings(of list: SubscriberList, templates: DigestTemplates) -> DigestStrings {
        templates.strings(for: list.language) ?? DigestStrings.builtIn(for: list.language) ?? DigestStrings.english
    }

    static let longestAddress = 254
    static let longestName = 200

    /// Where trimming ended for digests already fitted this edition, so every subscriber of a
    /// digest after the first starts from the result instead of measuring it again.
    ///
    /// Digests are measured for `sizingReader` and `sizingLinks`, so the result depends only on
    /// the digest, the reader's shape and the lengths of the values measured (the same for all
    /// but readers longer than the stand-in): it is the one `gazette preview` reaches from the
    /// start.
    /// At most `capacity` results are kept; when full, the cache starts over.
    struct FitCache {
        var capacity = 256

        struct Key: Hashable {
            var digest: Digest
            var shape: DigestPersonalization.Shape
            var lengths: [Int]
        }

        private var fitted: [Key: (digest: Digest, level: DigestTrimmer.Level, size: EncodedSize)] = [:]

        /// The key of `digest` measured for `measuring` (a `sizingReader`'s personalization).
        static func key(_ digest: Digest, measuring: DigestPersonalization) -> Key {
            var shared = digest
            shared.subscriber = Subscriber(email: "", createdAt: .distantPast)
            shared.decisions = []
            return Key(digest: shared, shape: measuring.shape, lengths: measuring.byteLengths)
        }

        /// The fitted digest for `key`, given back to the subscriber of `digest`, with its
        /// measured size (so it is not measured again).
        func start(_ key: Key, for digest: Digest) -> (digest: Digest, level: DigestTrimmer.Level, size: EncodedSize?)? {
            guard var known = fitted[key] else { return nil }
            known.digest.subscriber = digest.subscriber
            return known
        }

        mutating func remember(_ key: Key, _ digest: Digest, level: DigestTrimmer.Level, size: EncodedSize) {
            if fitted.count >= capacity { fitted.removeAll(keepingCapacity: true) }
            fitted[key] = (digest, level, size)
        }
    }
}
