import Foundation
import Mustache

/// Renders digests with each article's partial rendered once per edition and reused by every
/// digest that holds the article, instead of once per digest.
///
/// A newsroom's edition has thousands of distinct digests (subscribers follow different
/// things) made of the same few thousand articles, and the article partials are most of what
/// a digest renders. So a digest is rendered as a skeleton: the templates with each line
/// `{{> partials/article.html}}` (or `.txt`) replaced by a marker holding the item's number,
/// and each marker then replaced by the article's block, rendered once with a number marker
/// where `{{number}}` and `{{anchor}}` go.
///
/// The result is byte for byte `DigestTemplates.renderUnwrapped`'s, which the first digest of
/// each `ArticleBlocks` checks; where that cannot be shown, `renderUnwrapped` here gives nil and
/// the caller renders in full:
/// - `Plan` reads the templates: the article partials must be included only on lines of their
///   own at column 0 (so a block is the partial's output as it stands), hold no partials,
///   transforms, delimiter changes or inheritance, and read nothing from the section or the
///   digest that differs between digests: names an item may not answer must be ones the
///   digest does not set (`Keys`), or edition-wide ones (the strings, the list, the reader's
///   sentinels), whose values are part of the block's key;
/// - a digest whose text holds the markers' private-use characters is rendered in full.
public final class ArticleBlocks: @unchecked Sendable {
    /// What the templates allow, worked out once when they are loaded.
    struct Plan: Sendable {
        enum Part: Sendable, Hashable {
            case html, text

            /// The article partial of this part.
            var partial: String { self == .html ? "partials/article.html" : "partials/article.txt" }
        }

        /// The templates with the article partials' lines replaced by `{{{_gazetteBlock}}}`.
        let skeleton: MustacheLibrary
        let library: MustacheLibrary
        /// Dotted names the partials read from the digest's root (`t.by`): their values key the blocks.
        let rootPaths: [[String]]

        init?(sources: [String: String], library: MustacheLibrary) {
            guard let htmlPartial = sources[Part.html.partial], let textPartial = sources[Part.text.partial],
                let htmlPaths = Self.rootPaths(ofPartial: htmlPartial), let textPaths = Self.rootPaths(ofPartial: textPartial)
            else { return nil }
            var skeleton = MustacheLibrary()
            for (name, text) in sources {
                guard !text.contains("{{="), !text.contains("{{<"), !text.contains("{{$"),
                    let replaced = Self.replacingPartialLines(in: text),
                    let template = try? MustacheTemplate(string: replaced)
                else { return nil }
                skeleton.register(template, named: name)
            }
            self.skeleton = skeleton
            self.library = library
            rootPaths = Array(Set(htmlPaths + textPaths)).sorted { $0.joined(separator: ".") < $1.joined(separator: ".") }
        }

        /// `text` with every line that includes an article partial holding `{{{_gazetteBlock}}}`
        /// instead; nil when a template includes one anywhere else.
        ///
        /// A loop that holds nothing but that line, on lines of their own,
        /// ```
        /// {{#items}}
        /// {{> partials/article.html}}
        /// {{/items}}
        /// ```
        /// (or `topStories`), becomes one section over all the loop's markers, one per line
        /// (`_gazetteBlocksOfItems`, nil for no items): the same output, without pushing each
        /// item on the context and looking its marker up (a tenth of rendering a newsroom's digest).
        static func replacingPartialLines(in text: String) -> String? {
            guard text.contains("partials/article.") else { return text }
            let source = text.split(separator: "\n", omittingEmptySubsequences: false)
            func isPartial(_ line: Substring) -> Bool {
                let tag = line.filter { $0 != " " }
                return tag == "{{>\(Part.html.partial)}}" || tag == "{{>\(Part.text.partial)}}"
            }
            var lines: [Substring] = []
            var index = 0
            while index < source.count {
                let line = source[index]
                if index + 2 < source.count, line.hasPrefix("{{"), source[index + 1].hasPrefix("{{"),
                    source[index + 2].hasPrefix("{{"),
                    isPartial(source[index + 1]),
                    let loop = collapsibleLoops.first(where: { line.filter { $0 != " " } == "{{#\($0.key)}}" }),
                    source[index + 2].filter({ $0 != " " }) == "{{/\(loop.key)}}"
                {
                    lines += ["{{#\(loop.value)}}", "{{{.}}}", "{{/\(loop.value)}}"]
                    index += 3
                    continue
                }
                if isPartial(line) {
                    // At column 0, so the partial is not indented.
                    guard line.hasPrefix("{{") else { return nil }
                    lines.append("{{{_gazetteBlock}}}")
                } else {
                    guard !line.contains("partials/article.") else { return nil }
                    lines.append(line)
                }
                index += 1
            }
            return lines.joined(separator: "\n")
        }

        /// The lists of items a loop may go over, with the name that gives all their markers at once.
        static let collapsibleLoops: KeyValuePairs<String, String> = [
            "items": "_gazetteBlocksOfItems", "topStories": "_gazetteBlocksOfTopStories",
        ]

        /// The root names a partial reads, as dotted paths; nil when its tags do anything a
        /// block rendered once could not reproduce (see the type's notes).
        static func rootPaths(ofPartial text: String) -> [[String]]? {
            var paths: [[String]] = []
            var depth = 0
            var rest = Substring(text)
            while let open = rest.range(of: "{{") {
                rest = rest[open.upperBound...]
                let triple = rest.hasPrefix("{")
                guard let close = rest.range(of: triple ? "}}}" : "}}") else { return nil }
                var tag = rest[..<close.lowerBound]
                rest = rest[close.upperBound...]
                if triple { tag = tag.dropFirst() }
                let sigil = tag.first.map(String.init) ?? ""
                switch sigil {
                case "!", "%":
                    continue
                case ">", "<", "$", "=", "*":
                    return nil
                default:
                    break
                }
                let isSection = sigil == "#" || sigil == "^"
                let name = (["#", "^", "/", "&"].contains(sigil) ? tag.dropFirst() : tag).trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, !name.contains(where: { $0 == "(" || $0 == ")" || $0 == " " || $0 == "|" }) else {
                    return nil
                }
                if sigil == "/" {
                    depth -= 1
                    continue
                }
                if name == "." || name.hasPrefix(".") {
                    guard depth > 0 else { return nil }
                    if isSection { depth += 1 }
                    continue
                }
                let path = name.split(separator: ".").map(String.init)
                let first = path[0]
                if isSection {
                    guard first != "number", first != "anchor" else { return nil }
                    depth += 1
                }
                if Keys.itemAlways.contains(first) { continue }
                if Keys.edition.contains(first) {
                    // `t` by itself would be the whole dictionary.
                    guard first != "t" || path.count > 1 else { return nil }
                    paths.append(path)
                    continue
                }
                if Keys.section.contains(first) || Keys.digest.contains(first) { return nil }
            }
            return paths
        }
    }

    /// The names the view model's levels answer (`DigestViewModel+Mustache`), sorted by what
    /// the block rendering may do with them; `ArticleBlocksTests` checks they are complete.
    enum Keys {
        /// What every item answers with a value (never nil, so never looked up above it).
        static let itemAlways: Set<String> = [
            "number", "anchor", "title", "url", "summary", "hasSummary", "authors", "hasAuthors", "time", "tags", "hasTags",
            "tagLine", "alsoIn", "hasAlsoIn", "direction", "isRightToLeft", "align", "titleRuns", "summaryRuns", "imageAlt",
            "hasImage",
        ]
        /// Item fields that may be nil (the lookup then goes on up to the section and the root).
        static let itemOptional: Set<String> = ["language", "imageURL"]
        static let section: Set<String> = [
            "title", "anchor", "direction", "align", "count", "hasItems", "items", "moreCount", "hasMore", "moreText",
        ]
        /// Root names the same for every digest of an edition (the reader's are sentinels).
        static let edition: Set<String> = [
            "t", "list", "reader", "date", "shortDate", "generator", "unsubscribeURL", "unsubscribeMailto", "preferencesURL",
            "hasPreferencesURL",
        ]
        /// Root names that differ between digests.
        static let digest: Set<String> = [
            "subject", "leadStory", "hasLeadStory", "preheader", "since", "articleCount", "isEmpty", "isSingleArticle",
            "topStories", "hasTopStories", "sections", "tagIndex", "hasTagIndex", "indexTags", "tagIndexLine",
        ]
    }

    /// The marker a skeleton holds for item `number`: `{{{_gazetteBlock}}}` renders it.
    static func blockMarker(_ number: Int) -> String { "\u{E004}\(number)\u{E005}" }

    /// The markers of `items`, one per line; nil for none, so a section over it renders nothing.
    static func blockMarkers(_ items: [DigestViewModel.Item]) -> String? {
        guard !items.isEmpty else { return nil }
        var markers = ""
        markers.reserveCapacity(items.count * 10)
        for (index, item) in items.enumerated() {
            if index > 0 { markers += "\n" }
            markers += blockMarker(item.number)
        }
        return markers
    }
    /// Where a block's item number goes.
    static let numberMarker = "\u{E002}"
    static let markerScalars: Set<Unicode.Scalar> = ["\u{E002}", "\u{E004}", "\u{E005}"]

    private struct BlockKey: Hashable {
        var part: Plan.Part
        var item: DigestViewModel.Item
        var root: [String]
    }

    /// A rendered block: its UTF-8 bytes cut at each number marker, and what it adds to an
    /// HTML part as sent, by the number of digits of its item's number (digits all encode
    /// alike), worked out when first asked (`htmlEncodedSize`).
    final class Block: @unchecked Sendable {
        let pieces: [[UInt8]]
        /// No CR (line breaks then add up apart) and NFC as it stands.
        let isPlain: Bool
        /// A CR: a part that holds one is not spliced (`Sentinel.parse`).
        let holdsCarriageReturn: Bool
        /// Holds no personal field's sentinel (`Sentinel`): its lines are the same for every
        /// reader, so they can be encoded once (`encoded(digits:wrapWidth:)`).
        let isImpersonal: Bool
        /// Guards `sizes` and `encodings`: a block is shared by every worker of an edition.
        private let lock = NSLock()
        private var sizes: [Int: (raw: Int, quotedPrintable: Int)] = [:]
        /// By number of digits and wrap width; nil where the block cannot be encoded apart.
        private var encodings: [EncodingKey: EncodedBlock?] = [:]

        struct EncodingKey: Hashable {
            var digits: Int
            var wrapWidth: Int?
        }

        init(pieces: [[UInt8]]) {
            self.pieces = pieces
            holdsCarriageReturn = pieces.contains { $0.contains(0x0D) }
            isPlain =
                !holdsCarriageReturn && pieces.allSatisfy { BodyEncoding.isSurelyNFC(String(decoding: $0, as: UTF8.self)) }
            isImpersonal = !pieces.contains { Sentinel.holdsSentinelBytes($0) }
        }

        /// The block as a body part holds it, for an item number of `digits` digits
        /// (`EncodedBlock.make`), made once per block and digit count.
        func encoded(digits: Int, wrapWidth: Int?) -> EncodedBlock? {
            let key = EncodingKey(digits: digits, wrapWidth: wrapWidth)
            if let known = lock.withLock({ encodings[key] }) { return known }
            let made = EncodedBlock.make(self, digits: digits, wrapWidth: wrapWidth)
            lock.withLock { encodings[key] = .some(made) }
            return made
        }

        /// The block's bytes with `number` where each marker was.
        func bytes(numbered digits: [UInt8]) -> [UInt8] {
            var bytes: [UInt8] = []
            for (position, piece) in pieces.enumerated() {
                if position > 0 { bytes += digits }
                bytes += piece
            }
            return bytes
        }

        /// Raw bytes (line breaks as CRLF) and quoted-printable length with a number of `digits` digits.
        func size(digits: Int) -> (raw: Int, quotedPrintable: Int) {
            if let known = lock.withLock({ sizes[digits] }) { return known }
            let bytes = BodyEncoding.crlfBytes(
                String(decoding: self.bytes(numbered: Array(repeating: 0x31, count: digits)), as: UTF8.self))
            let size = (bytes.count, BodyEncoding.quotedPrintableLength(bytes))
            lock.withLock { sizes[digits] = size }
            return size
        }
    }

    let plan: Plan
    let templates: DigestTemplates
    /// At most this many blocks are kept; when full, the cache starts over.
    let capacity: Int
    /// The blocks, in shards of their own lock each: one edition's workers share the blocks,
    /// and each renders its skeletons, and any block it is first to need, while others do
    /// too. A digest looks up a hundred blocks, and with one lock for all, the workers of a
    /// newsroom's run waited on each other there (`perf` of scheduler switches). Two that need
    /// a new block at once may both render it; the same bytes either way.
    private let shards = (0..<16).map { _ in BlockShard() }
    /// Guards the fields below, and only them.
    private let lock = NSLock()
    private var checked = false
    private var broken = false
    /// Digests whose size added up from the blocks was checked against the whole part's; one
    /// that differs turns the sums off for good.
    private var sumsChecked = 0
    private var sumsBroken = false
    /// Spliced renderings checked against assembled ones (`DigestMessageTemplate`); one that
    /// differs turns splicing off for good.
    private var splicesChecked = 0
    private var splicingBroken = false
    private var splicedDigests = 0
    /// Digests given with at least one part spliced (for tests).
    var splicedCount: Int { lock.withLock { splicedDigests } }
    /// True once a spliced rendering differed from the assembled one (for tests).
    var isSplicingBroken: Bool { lock.withLock { splicingBroken } }
    /// Digests sized by adding up (for tests).
    var summedCount: Int { lock.withLock { summed } }
    private var summed = 0

    /// How many blocks are kept.
    var blockCount: Int { shards.reduce(0) { $0 + $1.count } }

    /// Some of the blocks, under a lock of their own.
    private final class BlockShard: @unchecked Sendable {
        private let lock = NSLock()
        private var blocks: [BlockKey: Block] = [:]

        var count: Int { lock.withLock { blocks.count } }

        func block(_ key: BlockKey) -> Block? { lock.withLock { blocks[key] } }

        /// `block`, or the one another thread kept first; at `capacity`, the shard starts over.
        func keep(_ block: Block, for key: BlockKey, capacity: Int) -> Block {
            lock.withLock {
                if let first = blocks[key] { return first }
                if blocks.count >= capacity { blocks.removeAll(keepingCapacity: true) }
                blocks[key] = block
                return block
            }
        }
    }

    /// The shard of `key`, chosen by what is cheap to read and differs between articles.
    private func shard(_ key: BlockKey) -> BlockShard {
        shards[(key.item.url.utf8.count &+ key.item.title.utf8.count &+ key.item.summary.utf8.count) % shards.count]
    }

    /// Nil when `templates` do not allow rendering articles once (`Plan`).
    public init?(templates: DigestTemplates, capacity: Int = 50_000) {
        guard let plan = templates.blockPlan else { return nil }
        self.plan = plan
        self.templates = templates
        self.capacity = capacity
    }

    /// Both parts as `DigestTemplates.renderUnwrapped` gives them; nil when this digest must be
    /// rendered in full.
    func renderUnwrapped(_ model: DigestViewModel) -> (text: String, html: String)? {
        checkedParts(model, textToo: true)
    }

    /// The HTML part as `DigestTemplates.renderUnwrapped` gives it; nil when this digest
    /// must be rendered in full.
    func html(_ model: DigestViewModel) -> String? {
        checkedParts(model, textToo: false)?.html
    }

    /// The HTML part's size as sent, what `BodyEncoding.encodedSize` gives for `html(model)`,
    /// added up from the skeleton and each block's size instead of assembling the part and
    /// encoding it whole (a newsroom measures thousands of distinct digests against the
    /// budget). Each block stands on lines of its own, and quoted-printable encodes line by
    /// line, so the sizes add up; base64's follows from the byte count. Text that holds a CR
    /// or that NFC could change is assembled and measured whole, as before. Nil when the
    /// digest must be rendered in full. The first digests are measured both ways, and a
    /// difference turns the sums off.
    public func htmlEncodedSize(_ model: DigestViewModel) -> EncodedSize? {
        let (checked, broken, sumsBroken) = lock.withLock { (self.checked, self.broken, self.sumsBroken) }
        guard checked, !broken, !Self.holdsMarkers(model),
            let skeleton = plan.skeleton.render(model, withTemplate: DigestTemplates.htmlTemplate)
        else { return nil }
        func whole(_ skeleton: String) -> EncodedSize? {
            assemble(model, part: .html, skeleton: skeleton).map(BodyEncoding.encodedSize)
        }
        if sumsBroken { return whole(skeleton) }
        let items = model.topStories + model.sections.flatMap(\.items)
        let root = plan.rootPaths.map { Self.value(at: $0, in: model) }
        let bytes = Array(skeleton.utf8)
        var rest: [UInt8] = []
        rest.reserveCapacity(bytes.count)
        var blocksRaw = 0
        var blocksQuoted = 0
        var copied = 0
        guard let markers = Self.markers(in: bytes) else { return nil }
        for (range, number) in markers {
            guard range.lowerBound == 0 || bytes[range.lowerBound - 1] == 0x0A,
                range.upperBound == bytes.count || bytes[range.upperBound] == 0x0A,
                number >= 1, number <= items.count, items[number - 1].number == number,
                let block = block(items[number - 1], part: .html, root: root, model: model)
            else { return nil }
            guard block.isPlain else { return whole(skeleton) }
            let size = block.size(digits: String(number).utf8.count)
            blocksRaw += size.raw
            blocksQuoted += size.quotedPrintable
            rest += bytes[copied..<range.lowerBound]
            copied = range.upperBound
        }
        rest += bytes[copied...]
        let text = String(decoding: rest, as: UTF8.self)
        guard !rest.contains(0x0D), BodyEncoding.isSurelyNFC(text) else { return whole(skeleton) }
        let skeletonBytes = BodyEncoding.crlfBytes(text)
        let raw = skeletonBytes.count + blocksRaw
        let size = EncodedSize(
            quotedPrintable: BodyEncoding.quotedPrintableLength(skeletonBytes) + blocksQuoted,
            base64: BodyEncoding.base64Length(raw))
        let checking = lock.withLock {
            sumsChecked += 1
            return sumsChecked <= 3
        }
        if checking {
            guard let measured = whole(skeleton), measured == size else {
                lock.withLock { self.sumsBroken = true }
                return whole(skeleton)
            }
        }
        lock.withLock { summed += 1 }
        return size
    }

    /// What each section item's HTML block adds to the HTML part as sent
    /// (`sizes[section][item]`, the line's newline included); nil when a block cannot be
    /// rendered. `DigestDelivery.EntryCosts` reads an article's cost here instead of rendering
    /// a digest with and without it: one block per article and trimming level, shared by the
    /// whole edition.
    /// - Parameter number: the number every item is sized with, in place of its own (so a
    ///   size does not depend on where the article happened to stand).
    public func htmlBlockSizes(_ model: DigestViewModel, numberedAs number: Int? = nil) -> [[EncodedSize]]? {
        let root = plan.rootPaths.map { Self.value(at: $0, in: model) }
        var sizes: [[EncodedSize]] = []
        for section in model.sections {
            var row: [EncodedSize] = []
            row.reserveCapacity(section.items.count)
            for item in section.items {
                guard let block = block(item, part: .html, root: root, model: model) else { return nil }
                var bytes = block.bytes(numbered: Array(String(number ?? item.number).utf8))
                bytes.append(0x0A)
                row.append(BodyEncoding.encodedSize(String(decoding: bytes, as: UTF8.self)))
            }
            sizes.append(row)
        }
        return sizes
    }

    /// A part as `DigestMessageTemplate` reads it.
    enum PartSource {
        /// The part's skeleton, each block marker on a line of its own, and the block each
        /// item number stands for (`blocks[number - 1]`): the template encodes each block once
        /// per edition (`Block.encoded`) instead of once per digest.
        case spliced(skeleton: String, blocks: [Block])
        /// The part assembled whole, as `renderUnwrapped` gives it: some block of it holds a
        /// personal field (a tag's follow link carries the reader's token) or a CR.
        case whole(String)

        var isSpliced: Bool {
            if case .spliced = self { true } else { false }
        }
    }

    /// Both parts for `DigestMessageTemplate`, once the first digest has been checked
    /// against a full rendering (`renderUnwrapped`) and while no spliced rendering has been
    /// found to differ from an assembled one; nil when the caller should use `renderUnwrapped`.
    func sources(_ model: DigestViewModel) -> (text: PartSource, html: PartSource)? {
        let (checked, broken, splicingBroken) = lock.withLock { (self.checked, self.broken, self.splicingBroken) }
        guard checked, !broken, !splicingBroken, !Self.holdsMarkers(model), let html = source(model, part: .html),
            let text = source(model.isolatedForText, part: .text)
        else { return nil }
        if html.isSpliced || text.isSpliced { lock.withLock { splicedDigests += 1 } }
        return (text, html)
    }

    /// True for the first few spliced renderings, which the caller checks against assembled ones.
    func checksSplicing() -> Bool {
        lock.withLock {
            splicesChecked += 1
            return splicesChecked <= 3
        }
    }

    /// A spliced rendering differed from the assembled one: no more splicing.
    func splicingFailed() {
        lock.withLock { splicingBroken = true }
    }

    private func source(_ model: DigestViewModel, part: Plan.Part) -> PartSource? {
        let name = part == .html ? DigestTemplates.htmlTemplate : DigestTemplates.textTemplate
        guard let skeleton = plan.skeleton.render(model, withTemplate: name) else { return nil }
        let items = model.topStories + model.sections.flatMap(\.items)
        let root = plan.rootPaths.map { Self.value(at: $0, in: model) }
        var found: [Block] = []
        found.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard item.number == index + 1, let block = block(item, part: part, root: root, model: model) else { return nil }
            found.append(block)
        }
        guard found.allSatisfy({ !$0.holdsCarriageReturn && $0.isImpersonal }) else {
            return assemble(model, part: part, skeleton: skeleton).map(PartSource.whole)
        }
        return .spliced(skeleton: skeleton, blocks: found)
    }

    /// The parts (the text only when asked for, or for the first digests' check).
    private func checkedParts(_ model: DigestViewModel, textToo: Bool) -> (text: String, html: String)? {
        let (checked, broken) = lock.withLock { (self.checked, self.broken) }
        guard !broken, !Self.holdsMarkers(model), let html = assemble(model, part: .html) else { return nil }
        guard textToo || !checked else { return ("", html) }
        guard let text = assemble(model.isolatedForText, part: .text) else { return nil }
        if !checked {
            // The first digest is rendered both ways: a template this type misreads shows here
            // rather than in a subscriber's inbox. (Workers that start together may each check one.)
            guard let full = try? templates.renderUnwrapped(model), full.text == text, full.html == html else {
                lock.withLock { self.broken = true }
                return nil
            }
            lock.withLock { self.checked = true }
        }
        return (text, html)
    }

    /// - Parameter rendered: the skeleton, when the caller rendered it already.
    private func assemble(_ model: DigestViewModel, part: Plan.Part, skeleton rendered: String? = nil) -> String? {
        let name = part == .html ? DigestTemplates.htmlTemplate : DigestTemplates.textTemplate
        guard let skeleton = rendered ?? plan.skeleton.render(model, withTemplate: name) else { return nil }
        let items = model.topStories + model.sections.flatMap(\.items)
        let root = plan.rootPaths.map { Self.value(at: $0, in: model) }
        let bytes = Array(skeleton.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + items.count * 2_000)
        var copied = 0
        guard let markers = Self.markers(in: bytes) else { return nil }
        for (range, number) in markers {
            guard number >= 1, number <= items.count, items[number - 1].number == number,
                let block = block(items[number - 1], part: part, root: root, model: model)
            else { return nil }
            output += bytes[copied..<range.lowerBound]
            output += block.bytes(numbered: Array(String(number).utf8))
            copied = range.upperBound
        }
        output += bytes[copied...]
        return String(decoding: output, as: UTF8.self)
    }

    /// Where each block marker stands in a rendered skeleton, with the item number it holds;
    /// nil when a marker is left open. Markers are found by their UTF-8 bytes, so no character
    /// around them can hide one.
    static func markers(in bytes: [UInt8]) -> [(range: Range<Int>, number: Int)]? {
        var found: [(range: Range<Int>, number: Int)] = []
        var index = 0
        while index + 2 < bytes.count {
            guard bytes[index] == 0xEE, bytes[index + 1] == 0x80, bytes[index + 2] == 0x84 else {
                index += 1
                continue
            }
            guard let marker = marker(at: index, in: bytes) else { return nil }
            found.append((index..<marker.end, marker.number))
            index = marker.end
        }
        return found
    }

    /// The item number of the block marker whose opening character starts at `start`, and
    /// where the marker ends; nil when it is left open.
    static func marker(at start: Int, in bytes: [UInt8]) -> (number: Int, end: Int)? {
        var cursor = start + 3
        var number = 0
        while cursor < bytes.count, (0x30...0x39).contains(bytes[cursor]), number < 1_000_000 {
            number = number * 10 + Int(bytes[cursor] - 0x30)
            cursor += 1
        }
        guard cursor + 2 < bytes.count, bytes[cursor] == 0xEE, bytes[cursor + 1] == 0x80, bytes[cursor + 2] == 0x85
        else { return nil }
        return (number, cursor + 3)
    }

    private func block(_ item: DigestViewModel.Item, part: Plan.Part, root: [String], model: DigestViewModel) -> Block? {
        guard item.anchor == "a\(item.number)" else { return nil }
        var shared = item
        shared.number = 0
        shared.anchor = ""
        let key = BlockKey(part: part, item: shared, root: root)
        let shard = shard(key)
        if let known = shard.block(key) { return known }
        let scope = BlockScope(item: item, root: model)
        guard let rendered = plan.library.render(scope, withTemplate: part.partial), rendered.hasSuffix("\n") else { return nil }
        // The line `{{{_gazetteBlock}}}` keeps its newline where the standalone partial's went.
        let bytes = Array(rendered.utf8.dropLast())
        var pieces: [[UInt8]] = []
        var start = 0
        var index = 0
        while index + 2 < bytes.count {
            if bytes[index] == 0xEE, bytes[index + 1] == 0x80, bytes[index + 2] == 0x82 {
                pieces.append(Array(bytes[start..<index]))
                index += 3
                start = index
            } else {
                index += 1
            }
        }
        pieces.append(Array(bytes[start...]))
        return shard.keep(Block(pieces: pieces), for: key, capacity: max(1, capacity / shards.count))
    }

    /// The value a dotted root name renders from, as text: part of a block's key.
    static func value(at path: [String], in model: DigestViewModel) -> String {
        var object: Any? = model
        for name in path {
            guard let parent = object as? MustacheParent else { return "\u{0}absent" }
            object = parent.child(named: name)
        }
        return object.map { String(describing: $0) } ?? "\u{0}nil"
    }

    /// True when any text of the digest holds a marker character (a title could, in theory).
    static func holdsMarkers(_ model: DigestViewModel) -> Bool {
        // The markers' UTF-8 starts with 0xEE, which almost no text holds: a byte search first.
        func has(_ text: String) -> Bool {
            text.utf8.contains(0xEE) && text.unicodeScalars.contains { markerScalars.contains($0) }
        }
        func has(_ tag: DigestViewModel.Tag) -> Bool { has(tag.name) || has(tag.url ?? "") }
        func has(_ item: DigestViewModel.Item) -> Bool {
            has(item.title) || has(item.url) || has(item.summary) || has(item.authors) || has(item.time) || has(item.tagLine)
                || has(item.alsoIn) || has(item.language ?? "") || has(item.direction) || has(item.align)
                || has(item.imageURL ?? "") || has(item.imageAlt) || item.tags.contains(where: has)
                || item.titleRuns.contains { has($0.text) } || item.summaryRuns.contains { has($0.text) }
        }
        return model.topStories.contains(where: has)
            || model.sections.contains { has($0.title) || has($0.moreText) || $0.items.contains(where: has) }
            || has(model.subject) || has(model.preheader) || has(model.leadStory) || has(model.list.title)
            || has(model.list.name) || has(model.tagIndexLine) || model.tagIndex.contains(where: has)
            || model.t.values.contains(where: has) || has(model.reader.email) || has(model.reader.name ?? "")
    }
}

/// An item as a partial sees it inside the digest, with its number left as a marker: the
/// item's own names first, then the edition-wide names of the root.
private struct BlockScope: MustacheParent {
    let item: DigestViewModel.Item
    let root: DigestViewModel

    func child(named name: String) -> Any? {
        switch name {
        case "number": ArticleBlocks.numberMarker
        case "anchor": "a" + ArticleBlocks.numberMarker
        default:
            item.child(named: name) ?? (ArticleBlocks.Keys.edition.contains(name) ? root.child(named: name) : nil)
        }
    }
}
