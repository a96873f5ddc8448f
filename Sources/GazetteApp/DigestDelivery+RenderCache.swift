import Foundation
import GazetteModel
import Mailing

extension DigestDelivery {
    /// Shared renderings (`DigestMessageTemplate`) of the digests several subscribers get.
    ///
    /// Subscribers who follow the same things get the same digest; it is rendered once with
    /// sentinels and spliced per subscriber. Every digest is rendered that way, even one only
    /// a single subscriber gets: its articles come from the edition's blocks (`ArticleBlocks`),
    /// so the shared rendering costs about what a full one would. At most `capacity` digests are
    /// kept, the least recently used going first, so memory stays flat.
    struct RenderCache {
        var capacity = 32
        /// The edition's article blocks, rendered once for every digest that holds them; nil
        /// when the templates do not allow it.
        var blocks: ArticleBlocks?
        /// The edition's formatted articles, shared by every digest's view model.
        var items: ItemMemo?

        init(templates: DigestTemplates, items: ItemMemo? = nil) {
            self.init(blocks: ArticleBlocks(templates: templates), items: items)
        }

        /// - Parameter blocks: the edition's, shared with its other workers.
        init(blocks: ArticleBlocks?, items: ItemMemo?) {
            self.blocks = blocks
            self.items = items
        }

        /// Everything the templates see, except the personal fields' values.
        struct Key: Hashable {
            var digest: Digest
            var date: Date
            var shape: DigestPersonalization.Shape
        }

        private enum Entry {
            case shared(DigestMessageTemplate)
            /// The templates or the digest do not allow splicing: render in full.
            case unusable
        }

        /// Each entry with the moment it was last used, counted in lookups: the least recently
        /// used goes first. (A list of keys in order of use compared whole digests on each hit.)
        private var entries: [Key: (entry: Entry, used: Int)] = [:]
        private var clock = 0

        mutating func template(
            for digest: Digest, personalization: DigestPersonalization, date: Date, timeZone: TimeZone,
            environment: AppEnvironment
        ) -> DigestMessageTemplate? {
            var shared = digest
            shared.subscriber = Subscriber(email: "", createdAt: .distantPast)
            shared.decisions = []
            let key = Key(digest: shared, date: date, shape: personalization.shape)
            clock += 1
            let entry: Entry
            if let known = entries[key]?.entry {
                entry = known
                entries[key]?.used = clock
            } else {
                let model = DigestViewModel(
                    digest: digest, date: date, timeZone: timeZone, links: personalization.links,
                    strings: environment.templates.strings(for: digest.list.language), items: items)
                entry =
                    DigestMessageTemplate(
                        model: model, shape: personalization, templates: environment.templates, blocks: blocks)
                    .map(Entry.shared) ?? .unusable
                if entries.count >= capacity, let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key {
                    entries[oldest] = nil
                }
                entries[key] = (entry, clock)
            }
            if case .shared(let template) = entry { return template }
            return nil
        }
    }
}
