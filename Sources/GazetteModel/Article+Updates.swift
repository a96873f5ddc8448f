import Foundation

extension Article {
    /// A fingerprint of what a feed says about the article (title, summary, authors, dates,
    /// section, tags, image): a new value means the site edited the item. FNV-1a, 64 bits:
    /// stable across runs and platforms, unlike `hashValue`.
    public var contentHash: String {
        let fields: [String] = [
            title, summary, authors.joined(separator: "\u{1F}"),
            publishedAt.map { String(Int64($0.timeIntervalSince1970)) } ?? "",
            section.components.joined(separator: "\u{1F}"), tags.joined(separator: "\u{1F}"), imageURL ?? "",
        ]
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in fields.joined(separator: "\u{1E}").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// The article after its own feed edited it: the feed's new title, summary, tags,
    /// section, authors, dates and image replace the stored ones wherever the feed gives
    /// them. A section the page refined ("News > Middle East" under the feed's "News")
    /// stays, and tags other feeds added stay when `keepTags` says so.
    public func updated(by edit: Article, keepTags: Bool = false) -> Article {
        var next = self
        if !edit.title.isEmpty, edit.title != "(untitled)" { next.title = edit.title }
        if !edit.summary.isEmpty { next.summary = edit.summary }
        if !edit.authors.isEmpty { next.authors = edit.authors }
        if let published = edit.publishedAt { next.publishedAt = published }
        if !edit.tags.isEmpty { next.tags = keepTags ? Self.union(edit.tags, tags) : edit.tags }
        if !edit.section.isEmpty, !section.components.starts(with: edit.section.components) { next.section = edit.section }
        if let image = edit.imageURL {
            next.imageURL = image
            next.imageCaption = edit.imageCaption ?? (image == imageURL ? imageCaption : nil)
        }
        if next.language == nil { next.language = edit.language }
        return next
    }

    /// One story read through two feeds, as one article with the richest of both: every
    /// tag of either, the deeper section path, the longer summary; title, authors, dates
    /// and image stay the first copy's unless it had none.
    public func merged(with duplicate: Article) -> Article {
        var next = self
        if title.isEmpty || title == "(untitled)", !duplicate.title.isEmpty { next.title = duplicate.title }
        if duplicate.summary.count > summary.count { next.summary = duplicate.summary }
        if authors.isEmpty { next.authors = duplicate.authors }
        if publishedAt == nil { next.publishedAt = duplicate.publishedAt }
        next.tags = Self.union(tags, duplicate.tags)
        if duplicate.section.components.count > section.components.count { next.section = duplicate.section }
        if imageURL == nil, let image = duplicate.imageURL {
            next.imageURL = image
            next.imageCaption = duplicate.imageCaption
        }
        if language == nil { next.language = duplicate.language }
        return next
    }

    /// `first` then the names of `second` it lacks, case ignored.
    static func union(_ first: [String], _ second: [String]) -> [String] {
        var seen = Set(first.map { $0.lowercased() })
        return first + second.filter { seen.insert($0.lowercased()).inserted }
    }
}
