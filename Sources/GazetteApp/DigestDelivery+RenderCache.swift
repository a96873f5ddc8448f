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
            blocks = ArticleBlocks(templates: templates)
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

        private var entries: [Key: Entry] = [:]
        private var recency: [Key] = []

        mutating func template(
            for digest: Digest, personalization: DigestPersonalization, date: Date, timeZone: TimeZone,
            environment: AppEnvironment
        ) -> DigestMessageTemplate? {
            var shared = digest
            shared.subscriber = Subscriber(email: "", createdAt: .distantPast)
            shared.decisions = []
            let key = Key(digest: shared, date: date, shape: personalization.shape)
            let entry: Entry
            if let known = entries[key] {
                entry = known
            } else {
                let model = DigestViewModel(
                    digest: digest, date: date, timeZone: timeZone, links: personalization.links,
                    strings: environment.templates.strings(for: digest.list.language), items: items)
                entry =
                    DigestMessageTemplate(
                        model: model, shape: personalization, templates: environment.templates, blocks: blocks)
                    .map(Entry.shared) ?? .unusable
            }
            remember(key, entry)
            if case .shared(let template) = entry { return template }
            return nil
        }

        private mutating func remember(_ key: Key, _ entry: Entry) {
            if entries.updateValue(entry, forKey: key) != nil {
                if recency.last != key {
                    recency.removeAll { $0 == key }
                    recency.append(key)
                }
                return
            }
            recency.append(key)
            if recency.count > capacity {
                entries[recency.removeFirst()] = nil
            }
        }
    }
}
