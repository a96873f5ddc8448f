import Foundation
import GazetteModel

/// One digest rendered once for every subscriber who gets it: the templates run with a
/// sentinel in place of each personal field (`DigestPersonalization`), lines without one are
/// wrapped and transfer-encoded once, and each message splices its subscriber's values into
/// the few lines that hold them.
///
/// The result is byte for byte what `DigestTemplates.render` and `MIMEWriter.render` give for
/// that subscriber, or nil where that cannot be shown, and the caller renders in full:
/// - templates with a transform (`uppercased(…)`, `count(…)`) are rendered with two different
///   sentinel sets, and everything outside the sentinels must come out the same (a transform
///   of a personal field changes it); without one, a single rendering says it all;
/// - each sentinel carries a `&`, so every occurrence shows whether the template escaped it;
/// - text and values must need no Unicode normalization, nor hold line breaks or controls:
///   wrapping and quoted-printable then work line by line, and only lines with a personal
///   value change;
/// - the base64/quoted-printable choice is made on the whole body's encoded sizes, as
///   `BodyEncoding` makes it.
public struct DigestMessageTemplate: Sendable {
    public let shape: DigestPersonalization.Shape
    let subject: String
    let text: PartTemplate
    let html: PartTemplate
    let headers = MIMEWriter.HeaderMemo()

    /// Renders `model` (any subscriber's, of this digest) with sentinels for the fields of
    /// `personalization`'s shape, its articles from `blocks` when given (rendered once for
    /// every digest that holds them). Nil when the templates or the digest do not allow splicing.
    public init?(
        model: DigestViewModel, shape personalization: DigestPersonalization, templates: DigestTemplates,
        blocks: ArticleBlocks? = nil
    ) {
        shape = personalization.shape
        subject = model.subject
        var renderings: [(text: RenderedPart, html: RenderedPart)] = []
        var spliced = false
        // A second rendering with other sentinels shows a transform of a personal field (its
        // output then differs between the two); templates without transforms need only one.
        for variant in templates.usesTransforms ? Sentinel.variants : [Sentinel.variants[0]] {
            let sentinelModel = Self.withSentinels(model, personalization, variant)
            if let blocks, let sources = blocks.sources(sentinelModel), let text = variant.parse(sources.text),
                let html = variant.parse(sources.html)
            {
                renderings.append((text, html))
                spliced = true
                continue
            }
            guard let parts = Self.assembledParts(sentinelModel, variant, templates: templates, blocks: blocks) else {
                return nil
            }
            renderings.append(parts)
        }
        guard let first = renderings.first,
            renderings.allSatisfy({ $0.text.readsAs(first.text) && $0.html.readsAs(first.html) }),
            var text = PartTemplate(first.text, wrapWidth: DigestTemplates.textWidth),
            var html = PartTemplate(first.html, wrapWidth: nil)
        else { return nil }
        if spliced, let blocks, blocks.checksSplicing() {
            // The first spliced renderings are made the assembled way too, and must agree.
            let variant = Sentinel.variants[0]
            guard
                let parts = Self.assembledParts(
                    Self.withSentinels(model, personalization, variant), variant, templates: templates, blocks: blocks),
                let wholeText = PartTemplate(parts.text, wrapWidth: DigestTemplates.textWidth),
                let wholeHTML = PartTemplate(parts.html, wrapWidth: nil)
            else { return nil }
            if !wholeText.sameBytes(as: text) || !wholeHTML.sameBytes(as: html) {
                blocks.splicingFailed()
                text = wholeText
                html = wholeHTML
            }
        }
        self.text = text
        self.html = html
    }

    /// `model` with `variant`'s sentinel in place of each personal field `personalization` has.
    private static func withSentinels(
        _ model: DigestViewModel, _ personalization: DigestPersonalization, _ variant: Sentinel
    ) -> DigestViewModel {
        var sentinelModel = model
        func field(_ field: DigestPersonalization.Field) -> String? {
            guard let value = personalization.value(field) else { return nil }
            return value.isEmpty ? "" : variant.sentinel(field)
        }
        sentinelModel.reader = DigestViewModel.Reader(
            email: field(.email) ?? "", name: field(.name), greetingName: field(.greetingName) ?? "")
        sentinelModel.unsubscribeURL = field(.unsubscribeURL) ?? ""
        sentinelModel.unsubscribeMailto = field(.unsubscribeMailto) ?? ""
        sentinelModel.replacePreferencesURL(with: field(.preferencesURL))
        return sentinelModel
    }

    /// Both parts rendered whole (their articles from `blocks` when given) and read for sentinels.
    private static func assembledParts(
        _ sentinelModel: DigestViewModel, _ variant: Sentinel, templates: DigestTemplates, blocks: ArticleBlocks?
    ) -> (text: RenderedPart, html: RenderedPart)? {
        guard let (text, html) = blocks?.renderUnwrapped(sentinelModel) ?? (try? templates.renderUnwrapped(sentinelModel)),
            let textLines = variant.parse(text), let htmlLines = variant.parse(html)
        else { return nil }
        return (textLines, htmlLines)
    }

    /// The HTML part's size as sent, which the list's HTML budget limits; nil when this
    /// template cannot render `personalization`.
    public func htmlEncodedSize(_ personalization: DigestPersonalization) -> EncodedSize? {
        guard accepts(personalization) else { return nil }
        return html.encodedSize(personalization)
    }

    /// The complete message, as `MIMEWriter.render` of the full rendering would write it;
    /// nil when this template cannot render `personalization`.
    public func message(
        digest: Digest, personalization: DigestPersonalization, messageID: String, date: Date, boundary: String,
        timeZone: TimeZone
    ) -> Data? {
        guard accepts(personalization) else { return nil }
        let envelope = DigestMessageComposer.compose(
            digest: digest, rendered: RenderedDigest(text: "", html: ""), subject: subject, messageID: messageID, date: date,
            links: personalization.links)
        return MIMEWriter.render(
            envelope, boundary: boundary, timeZone: timeZone, text: text.encoded(personalization),
            html: html.encoded(personalization), memo: headers)
    }

    private func accepts(_ personalization: DigestPersonalization) -> Bool {
        personalization.shape == shape && personalization.isSpliceable
    }
}

/// A piece of a rendered line: template output, or a personal field, HTML-escaped or not.
enum Piece: Equatable, Sendable {
    case literal(String)
    case field(DigestPersonalization.Field, escaped: Bool)
}

/// Sentinel values: a private-use character, letters whose case any case transform would
/// change, the field's number, a `&` (escaped to `&amp;` where the template escapes) and a
/// closing private-use character.
struct Sentinel {
    static let variants = [Sentinel(tag: "gZ"), Sentinel(tag: "qYqYq")]
    static let open: [UInt8] = Array("\u{E000}".utf8)
    static let close: [UInt8] = Array("\u{E001}".utf8)
    /// `ArticleBlocks.blockMarker`'s opening character.
    static let blockOpen: [UInt8] = Array("\u{E004}".utf8)

    let tag: String

    func sentinel(_ field: DigestPersonalization.Field) -> String {
        "\u{E000}\(tag)\(field.rawValue)&\u{E001}"
    }

    /// True when `bytes` hold a sentinel's opening or closing character.
    static func holdsSentinelBytes(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index + 2 < bytes.count {
            if bytes[index] == 0xEE, bytes[index + 1] == open[1], bytes[index + 2] == open[2] || bytes[index + 2] == close[2] {
                return true
            }
            index += 1
        }
        return false
    }

    /// `parse` of a part as `ArticleBlocks` gives it: assembled whole, or a skeleton whose
    /// block markers become block lines.
    func parse(_ source: ArticleBlocks.PartSource) -> RenderedPart? {
        switch source {
        case .whole(let text): parse(text)
        case .spliced(let skeleton, let blocks): parse(skeleton, blocks: blocks)
        }
    }

    /// The part's lines (split at LF); nil when a sentinel was altered, or the text holds a
    /// CR (wrapping then splits lines by character, not at each LF).
    /// - Parameter blocks: when given, the text is a skeleton (`ArticleBlocks.PartSource`):
    ///   a line that is a block marker and nothing else is that item's block, and a marker
    ///   anywhere else, or for an item not given, makes the parse fail.
    func parse(_ text: String, blocks: [ArticleBlocks.Block]? = nil) -> RenderedPart? {
        let bytes = Array(text.utf8)
        guard !bytes.contains(0x0D) else { return nil }
        var blockLine: (block: ArticleBlocks.Block, number: Int)?
        let raw = Array("&".utf8) + Self.close
        let escaped = Array("&amp;".utf8) + Self.close
        var lines: [RenderedPart.Line] = []
        var pieces: [Piece] = []
        var lineStart = 0
        var literalStart = 0
        var index = 0
        func endLiteral(at end: Int) {
            if end > literalStart { pieces.append(.literal(String(decoding: bytes[literalStart..<end], as: UTF8.self))) }
        }
        func endLine(at end: Int) {
            if let (block, number) = blockLine {
                lines.append(.block(block, number: number))
                blockLine = nil
            } else if pieces.isEmpty {
                lines.append(.literal(lineStart..<end))
            } else {
                endLiteral(at: end)
                lines.append(.personal(pieces))
                pieces = []
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A {
                endLine(at: index)
                index += 1
                lineStart = index
                literalStart = index
            } else if byte == Self.open[0], bytes[index...].starts(with: Self.open) {
                endLiteral(at: index)
                var cursor = index + Self.open.count
                guard bytes[cursor...].starts(with: tag.utf8) else { return nil }
                cursor += tag.utf8.count
                guard cursor < bytes.count, let field = DigestPersonalization.Field(rawValue: Int(bytes[cursor]) - 0x30)
                else { return nil }
                cursor += 1
                let isEscaped: Bool
                if bytes[cursor...].starts(with: raw) {
                    isEscaped = false
                    cursor += raw.count
                } else if bytes[cursor...].starts(with: escaped) {
                    isEscaped = true
                    cursor += escaped.count
                } else {
                    return nil
                }
                pieces.append(.field(field, escaped: isEscaped))
                index = cursor
                literalStart = index
            } else if byte == Self.close[0], bytes[index...].starts(with: Self.close) {
                return nil  // a sentinel's end without its start: a template took it apart
            } else if let blocks, byte == 0xEE, bytes[index...].starts(with: Self.blockOpen) {
                // A block marker: the whole line, for an item that has a block.
                guard index == lineStart, let (number, end) = ArticleBlocks.marker(at: index, in: bytes),
                    number >= 1, number <= blocks.count, end == bytes.count || bytes[end] == 0x0A
                else { return nil }
                blockLine = (blocks[number - 1], number)
                index = end
            } else {
                index += 1
            }
        }
        endLine(at: bytes.count)
        return RenderedPart(bytes: bytes, lines: lines)
    }
}

/// A part rendered with sentinels, as `Sentinel.parse` reads it: its UTF-8, and each line
/// either a range of it without a personal field, or the pieces of a line with one.
struct RenderedPart {
    enum Line {
        case literal(Range<Int>)
        case personal([Piece])
        /// An article block on lines of its own, numbered `number` (`ArticleBlocks.PartSource`).
        case block(ArticleBlocks.Block, number: Int)
    }

    let bytes: [UInt8]
    let lines: [Line]

    /// True when both say the same outside the personal fields (renderings with two sentinel
    /// sets, whose bytes differ in length where the fields are).
    func readsAs(_ other: RenderedPart) -> Bool {
        guard lines.count == other.lines.count else { return false }
        return zip(lines, other.lines).allSatisfy { pair in
            switch pair {
            case (.literal(let mine), .literal(let theirs)): bytes[mine].elementsEqual(other.bytes[theirs])
            case (.personal(let mine), .personal(let theirs)): mine == theirs
            case (.block(let mine, let number), .block(let theirs, let other)): mine === theirs && number == other
            default: false
            }
        }
    }
}

/// One body part: runs of lines without a personal field, wrapped and encoded once, and the
/// lines with one, encoded per message.
struct PartTemplate: Sendable {
    /// Lines without a personal field, joined with CRLF: their bytes and quoted-printable.
    struct Chunk: Sendable {
        var raw: [UInt8]
        var quotedPrintable: [UInt8]
        var base64Lines = Base64Lines()
    }

    enum Item: Sendable {
        case fixed(Chunk)
        case personal([Piece])
    }

    var items: [Item] = []
    var wrapWidth: Int?
    /// Unwrapped personal lines' quoted-printable, encoded once per shape of their values.
    let quotedLines = QuotedLines()

    /// Consecutive lines without a personal field are one stretch of the rendered bytes, so a
    /// run of them is wrapped (the text part) and encoded from that stretch as it stands.
    /// Block lines (`RenderedPart.Line.block`) join the run they stand in already encoded
    /// (`EncodedBlock`): wrapping and quoted-printable work line by line, so a run's encoding
    /// is its pieces' encodings joined with CRLF.
    init?(_ part: RenderedPart, wrapWidth: Int?) {
        self.wrapWidth = wrapWidth
        let crlf: [UInt8] = [0x0D, 0x0A]
        var run: Range<Int>?
        // The chunk being made: the fixed lines since the last personal one.
        var raw: [UInt8] = []
        var quoted: [UInt8] = []
        var isOpen = false
        func join() {
            if isOpen {
                raw += crlf
                quoted += crlf
            }
            isOpen = true
        }
        func closeRun() {
            guard let range = run else { return }
            run = nil
            let stretch = part.bytes.withUnsafeBufferPointer { all in
                let stretch = UnsafeBufferPointer(rebasing: all[range])
                if wrapWidth == nil, BodyEncoding.isSurelyNFC(utf8: stretch) {
                    return BodyEncoding.crlfBytes(utf8: stretch)
                }
                let text = String(decoding: stretch, as: UTF8.self)
                return BodyEncoding.crlfBytes(Self.normalized(wrapWidth.map { TextWrapper.wrap(text, width: $0) } ?? text))
            }
            join()
            if raw.isEmpty {
                raw = stretch
                quoted = BodyEncoding.quotedPrintableBytes(stretch)
            } else {
                raw += stretch
                quoted += BodyEncoding.quotedPrintableBytes(stretch)
            }
        }
        func closeChunk() {
            closeRun()
            guard isOpen else { return }
            items.append(.fixed(Chunk(raw: raw, quotedPrintable: quoted)))
            raw = []
            quoted = []
            isOpen = false
        }
        for line in part.lines {
            switch line {
            case .literal(let range):
                run = run.map { $0.lowerBound..<range.upperBound } ?? range
            case .block(let block, let number):
                closeRun()
                let digits = Array(String(number).utf8)
                guard let encoded = block.encoded(digits: digits.count, wrapWidth: wrapWidth) else { return nil }
                join()
                encoded.append(numbered: digits, raw: &raw, quoted: &quoted)
            case .personal(let pieces):
                closeChunk()
                guard let pieces = Self.normalized(pieces) else { return nil }
                items.append(.personal(pieces))
            }
        }
        closeChunk()
    }

    /// True when both write the same bytes for every reader: the same fixed chunks and the
    /// same personal lines in the same order.
    func sameBytes(as other: PartTemplate) -> Bool {
        guard items.count == other.items.count, wrapWidth == other.wrapWidth else { return false }
        return zip(items, other.items).allSatisfy { pair in
            switch pair {
            case (.fixed(let mine), .fixed(let theirs)): mine.raw == theirs.raw && mine.quotedPrintable == theirs.quotedPrintable
            case (.personal(let mine), .personal(let theirs)): mine == theirs
            default: false
            }
        }
    }

    /// NFC, as `BodyEncoding.encode` normalizes a whole body. Normalizing pieces apart gives
    /// the same as normalizing them together when each piece after the first begins with a
    /// character nothing before it can combine with: an LF between lines, and within a line
    /// the values (`DigestPersonalization.isSpliceable`) and what follows each value.
    static func normalized(_ text: String) -> String {
        BodyEncoding.isSurelyNFC(text) ? text : text.precomposedStringWithCanonicalMapping
    }

    /// The line when its literals are NFC already, and none follows a value with a
    /// character that may combine with the value's end; else nil.
    static func normalized(_ line: [Piece]) -> [Piece]? {
        var pieces: [Piece] = []
        for piece in line {
            guard case .literal(let text) = piece else {
                pieces.append(piece)
                continue
            }
            if case .field? = pieces.last, let first = text.unicodeScalars.first,
                !BodyEncoding.isSurelyNFC(String(first))
            {
                return nil
            }
            // Wrapping comes before normalizing in a full render; a literal NFC leaves as it
            // is makes the order moot.
            guard normalized(text).utf8.elementsEqual(text.utf8) else { return nil }
            pieces.append(piece)
        }
        return pieces
    }

    /// The part's lines with a personal value, as raw bytes and quoted-printable, and the
    /// part's sizes: what both encodings need.
    private func personalLines(_ personalization: DigestPersonalization) -> (raw: [[UInt8]], quoted: [[UInt8]], size: EncodedSize)
    {
        var raw: [[UInt8]] = []
        var quoted: [[UInt8]] = []
        var total = 2 * (items.count - 1)
        var quotedTotal = total
        for (index, item) in items.enumerated() {
            switch item {
            case .fixed(let chunk):
                total += chunk.raw.count
                quotedTotal += chunk.quotedPrintable.count
            case .personal(let pieces):
                // An unwrapped line (the HTML part) is its pieces' bytes: no line break, no CR
                // (`Sentinel.parse`), NFC already (`normalized`).
                if wrapWidth == nil {
                    var bytes: [UInt8] = []
                    var values: [Range<Int>] = []
                    for piece in pieces {
                        switch piece {
                        case .literal(let text): bytes += text.utf8
                        case .field(let field, let escaped):
                            let value = personalization.value(field) ?? ""
                            let start = bytes.count
                            bytes += (escaped ? Self.htmlEscaped(value) : value).utf8
                            values.append(start..<bytes.count)
                        }
                    }
                    if let encoded = quotedLines.encode(item: index, line: bytes, values: values) {
                        total += bytes.count
                        quotedTotal += encoded.count
                        raw.append(bytes)
                        quoted.append(encoded)
                        continue
                    }
                }
                var line = ""
                for piece in pieces {
                    switch piece {
                    case .literal(let text): line += text
                    case .field(let field, let escaped):
                        let value = personalization.value(field) ?? ""
                        line += escaped ? Self.htmlEscaped(value) : value
                    }
                }
                let bytes = BodyEncoding.crlfBytes(wrapWidth.map { TextWrapper.wrap(line, width: $0) } ?? line)
                let encoded = BodyEncoding.quotedPrintableBytes(bytes)
                total += bytes.count
                quotedTotal += encoded.count
                raw.append(bytes)
                quoted.append(encoded)
            }
        }
        return (raw, quoted, EncodedSize(quotedPrintable: quotedTotal, base64: BodyEncoding.base64Length(total)))
    }

    /// The part's size as sent: the HTML budget's measure.
    func encodedSize(_ personalization: DigestPersonalization) -> EncodedSize {
        personalLines(personalization).size
    }

    /// The part transfer-encoded as `BodyEncoding.encode` encodes the full rendering.
    func encoded(_ personalization: DigestPersonalization) -> MIMEWriter.EncodedBody {
        let (raw, quoted, size) = personalLines(personalization)
        if size.isBase64 {  // BodyEncoding.encode's rule
            return MIMEWriter.EncodedBody(encoding: "base64", pieces: base64(personalLines: raw))
        }
        let crlf: [UInt8] = [0x0D, 0x0A]
        var pieces: [[UInt8]] = []
        pieces.reserveCapacity(items.count * 2)
        var personal = quoted.makeIterator()
        for (index, item) in items.enumerated() {
            if index > 0 { pieces.append(crlf) }
            switch item {
            case .fixed(let chunk): pieces.append(chunk.quotedPrintable)
            case .personal: pieces.append(personal.next() ?? [])
            }
        }
        return MIMEWriter.EncodedBody(encoding: "quoted-printable", pieces: pieces)
    }

    /// The part's bytes in base64 lines. A line holds 57 bytes, so a chunk's full lines depend
    /// only on where in a line the chunk starts: those are encoded once per start
    /// (`Base64Lines`); the bytes around them are encoded per message.
    private func base64(personalLines: [[UInt8]]) -> [[UInt8]] {
        let crlf: [UInt8] = [0x0D, 0x0A]
        var pieces: [[UInt8]] = []
        var pending: [UInt8] = []  // bytes of the line being filled, fewer than 57
        var lineCount = 0
        func emit(_ encoded: [UInt8], lines: Int) {
            guard lines > 0 else { return }
            if lineCount > 0 { pieces.append(crlf) }
            pieces.append(encoded)
            lineCount += lines
        }
        func feed(_ bytes: ArraySlice<UInt8>) {
            pending += bytes
            guard pending.count >= 57 else { return }
            let full = pending.count / 57 * 57
            emit(BodyEncoding.base64Bytes(Array(pending[..<full])), lines: full / 57)
            pending.removeFirst(full)
        }
        var personal = personalLines.makeIterator()
        for (index, item) in items.enumerated() {
            if index > 0 { feed(crlf[...]) }
            switch item {
            case .fixed(let chunk):
                let head = min(pending.isEmpty ? 0 : 57 - pending.count, chunk.raw.count)
                feed(chunk.raw[..<head])
                let full = (chunk.raw.count - head) / 57
                if full > 0 { emit(chunk.base64Lines.lines(of: chunk.raw, from: head), lines: full) }
                pending += chunk.raw[(head + full * 57)...]
            case .personal:
                feed((personal.next() ?? [])[...])
            }
        }
        if !pending.isEmpty {
            if lineCount > 0 { pieces.append(crlf) }
            pieces.append(BodyEncoding.base64Bytes(pending))
        }
        return pieces
    }

    /// swift-mustache's HTML escaping. It maps characters; for the values `isSpliceable`
    /// lets through, characters and bytes agree (nothing combines with `&`, `<` or quotes).
    static func htmlEscaped(_ value: String) -> String { HTMLEscaping.escape(value) }
}

/// A chunk's full base64 lines from each start offset asked for, kept for the first few
/// offsets (subscribers' values of different lengths shift where a chunk starts in a line).
final class Base64Lines: @unchecked Sendable {
    static let kept = 8
    private let lock = NSLock()
    private var byStart: [Int: [UInt8]] = [:]

    /// The base64 lines (joined by CRLF) of the whole 57-byte lines of `raw` from `start`.
    func lines(of raw: [UInt8], from start: Int) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        if let cached = byStart[start] { return cached }
        let encoded = BodyEncoding.base64Bytes(Array(raw[start..<(start + (raw.count - start) / 57 * 57)]))
        if byStart.count < Self.kept { byStart[start] = encoded }
        return encoded
    }
}

/// Quoted-printable lines that hold personal values, encoded once for every subscriber whose
/// values have the same shape, then filled in.
///
/// A digest with a preferences page has a reader's token in every tag link, so most of its
/// HTML lines are personal, and encoding each of them per message was about 1 ms a message.
/// Quoted-printable puts a byte that stands for itself (`!` to `~` but `=`) in one output byte
/// and breaks lines by counting, not by reading: two values of equal length with their other
/// bytes (`=`, spaces, non-ASCII) in the same places encode alike, but for those bytes'
/// places. So a line is encoded once with placeholders, the places told apart by encoding it
/// with two placeholders, and each message writes its own bytes there. The first message of
/// each shape is checked against a direct encoding.
final class QuotedLines: @unchecked Sendable {
    private struct Key: Hashable {
        var item: Int
        /// Per value: its length, the offsets and bytes of those that are not `isPlain`, -1.
        var shape: [Int]
    }

    private struct Encoded {
        var bytes: [UInt8]
        /// Where each plain byte of the values goes in `bytes`, in order.
        var slots: [Int]
    }

    /// At most this many shapes are kept; when full, the memo starts over.
    static let kept = 4_096
    private let lock = NSLock()
    // Guarded by `lock`; nil: this shape cannot be filled in (encoded directly).
    private var memo: [Key: Encoded?] = [:]

    static func isPlain(_ byte: UInt8) -> Bool { byte >= 0x21 && byte <= 0x7E && byte != 0x3D }

    /// The line's quoted-printable; nil when the caller should encode it directly.
    /// - Parameter values: where the personal values sit in `line`.
    func encode(item: Int, line: [UInt8], values: [Range<Int>]) -> [UInt8]? {
        var shape: [Int] = []
        for range in values {
            shape.append(range.count)
            for index in range where !Self.isPlain(line[index]) {
                shape.append(index - range.lowerBound)
                shape.append(Int(line[index]))
            }
            shape.append(-1)
        }
        let key = Key(item: item, shape: shape)
        let known = lock.withLock { memo[key] }
        if let known {
            return known.map { fill($0, line: line, values: values) }
        }
        // First of its shape: made, filled and checked against the direct encoding.
        let made = make(line: line, values: values).flatMap { encoded in
            fill(encoded, line: line, values: values) == BodyEncoding.quotedPrintableBytes(line) ? encoded : nil
        }
        lock.withLock {
            if memo.count >= Self.kept { memo.removeAll(keepingCapacity: true) }
            memo[key] = .some(made)
        }
        return made.map { fill($0, line: line, values: values) }
    }

    private func fill(_ encoded: Encoded, line: [UInt8], values: [Range<Int>]) -> [UInt8] {
        var bytes = encoded.bytes
        var slot = 0
        for range in values {
            for index in range where Self.isPlain(line[index]) {
                bytes[encoded.slots[slot]] = line[index]
                slot += 1
            }
        }
        return bytes
    }

    private func make(line: [UInt8], values: [Range<Int>]) -> Encoded? {
        var first = line
        var second = line
        var plain = 0
        for range in values {
            for index in range where Self.isPlain(line[index]) {
                first[index] = UInt8(ascii: "x")
                second[index] = UInt8(ascii: "y")
                plain += 1
            }
        }
        let one = BodyEncoding.quotedPrintableBytes(first)
        let other = BodyEncoding.quotedPrintableBytes(second)
        guard one.count == other.count else { return nil }
        let slots = one.indices.filter { one[$0] != other[$0] }
        guard slots.count == plain else { return nil }
        return Encoded(bytes: one, slots: slots)
    }
}
