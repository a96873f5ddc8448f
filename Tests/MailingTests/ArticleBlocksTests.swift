import Foundation
import GazetteModel
import GazetteTestSupport
import Mustache
import Testing

@testable import Mailing

/// Articles rendered once per edition and spliced into each digest (`ArticleBlocks`) give the
/// bytes of the full rendering, and templates that would not are left to the full rendering.
@Suite struct ArticleBlocksTests {
    static let now = GoldenDigestTests.now
    static let zone = GoldenDigestTests.zone

    static func model(_ digest: Digest, links: DigestLinks = GoldenDigestTests.links) -> DigestViewModel {
        DigestViewModel(digest: digest, date: now, timeZone: zone, links: links)
    }

    /// The test digests, and each again with its first story left out and its stories in
    /// reverse order, so the same articles come back under other numbers.
    static func digests() -> [Digest] {
        DigestMessageTemplateTests.digests().flatMap { digest -> [Digest] in
            var shifted = digest
            if !shifted.topStories.isEmpty {
                shifted.topStories.removeFirst()
            } else {
                shifted.sections[0].entries.removeFirst()
            }
            var reversed = digest
            reversed.sections = digest.sections.reversed().map { section in
                var section = section
                section.entries.reverse()
                return section
            }
            return [digest, shifted, reversed]
        }
    }

    @Test func theBuiltInTemplatesRenderEachArticleOnce() throws {
        let templates = try DigestTemplates.load()
        let blocks = try #require(ArticleBlocks(templates: templates))
        var articles: Set<String> = []
        for digest in Self.digests() {
            let model = Self.model(digest)
            let assembled = try #require(blocks.renderUnwrapped(model), "\(digest.list.name)")
            let full = try templates.renderUnwrapped(model)
            #expect(assembled.html == full.html, "\(digest.list.name)")
            #expect(assembled.text == full.text, "\(digest.list.name)")
            articles.formUnion(digest.entries.map(\.article.url))
        }
        // One HTML and one text block per article and list (the two lists' tag links differ),
        // however many digests held it and under whatever number.
        #expect(blocks.blockCount <= 2 * 2 * articles.count)
        #expect(blocks.blockCount >= 2 * articles.count)
    }

    /// Every subscriber's message, through blocks, is the full rendering's bytes.
    @Test func splicedMessagesFromBlocksAreByteIdentical() throws {
        let templates = try DigestTemplates.load()
        let (spliced, fullRender) = try DigestMessageTemplateTests.compareAll(
            templates: templates, blocks: ArticleBlocks(templates: templates))
        #expect(fullRender == DigestMessageTemplateTests.unspliceable)
        #expect(spliced > 0)
    }

    /// Lines that end in spaces, begin with a dot or "From ", and run long enough to break in
    /// quoted-printable and wrap in the text part, with the item's number in them.
    static let awkwardPartial =
        "<p id=\"{{anchor}}\">{{number}}. {{title}}  \n.{{title}} {{number}}\nFrom {{title}}\n"
        + "{{title}} {{summary}} {{number}} {{title}} {{summary}} {{number}}\t\n"

    /// A digest of `count` articles in one section, made from the golden digest's first: its
    /// numbers run to three digits.
    static func longDigest(_ count: Int) -> Digest {
        var digest = GoldenDigestTests.digest()
        let story = digest.sections[0].entries[0]
        digest.topStories = []
        digest.sections = [
            DigestSection(
                path: digest.sections[0].path,
                entries: (1...count).map { index in
                    var entry = story
                    entry.article.url += "/\(index)"
                    entry.article.title = String(repeating: "word ", count: index % 23) + "story \(index)"
                    return entry
                })
        ]
        return digest
    }

    /// Messages spliced from each block's own encoding (`EncodedBlock`: its lines wrapped and
    /// quoted-printable-encoded once, the number's digits written in per digest) are the full
    /// rendering's bytes: numbers of one, two and three digits, Hebrew (base64), tag links
    /// that carry the reader's token (the HTML then assembled whole, the text still spliced),
    /// and awkward lines. And they were spliced, not left to the assembled parts.
    @Test(arguments: [nil, awkwardPartial] as [String?])
    func messagesSplicedFromEncodedBlocksAreByteIdentical(partial: String?) throws {
        let (folder, templates, blocks) = try Self.blocks(partial, text: "[{{number}}] {{title}} {{summary}} {{number}}\n")
        defer { folder?.remove() }
        let digests = DigestMessageTemplateTests.digests() + [Self.longDigest(120)]
        // One template per digest and shape; all but the first (which checks the blocks
        // against a full rendering) spliced.
        try Self.expectSpliced(digests, templates: templates, blocks: blocks, atLeast: digests.count - 1)
    }

    /// Every reader's message of `digests` through `blocks` is the full rendering's bytes
    /// (`DigestMessageTemplateTests.compareAll`), at least `minimum` digests were spliced, and
    /// no splice differed from the parts assembled whole.
    static func expectSpliced(_ digests: [Digest], templates: DigestTemplates, blocks: ArticleBlocks, atLeast minimum: Int) throws
    {
        let (spliced, fullRender) = try DigestMessageTemplateTests.compareAll(
            templates: templates, blocks: blocks, digests: digests)
        #expect(fullRender == DigestMessageTemplateTests.unspliceable)
        #expect(spliced == digests.count * (DigestMessageTemplateTests.readers.count - fullRender.count))
        #expect(blocks.splicedCount >= minimum)
        #expect(!blocks.isSplicingBroken)
    }

    /// A loop over a section's items (or the top stories) that holds only the article partial
    /// gives all its markers at once (`Plan.replacingPartialLines`); a section whose articles
    /// all went to "and N more" renders nothing there, as the loop would, in a template
    /// that does not guard the loop with `hasItems`.
    @Test func loopsOverArticlesRenderTheirMarkersAtOnce() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let partials = folder.url.appendingPathComponent("partials")
        try FileManager.default.createDirectory(at: partials, withIntermediateDirectories: true)
        try "<h2>{{title}}</h2>\n{{#items}}\n{{> partials/article.html}}\n{{/items}}\n<p>{{moreText}}</p>\n".write(
            to: partials.appendingPathComponent("section.html.mustache"), atomically: true, encoding: .utf8)
        let templates = try DigestTemplates.load(overrideDirectory: folder.url.path)
        let blocks = try #require(ArticleBlocks(templates: templates))
        let collapsed = try #require(
            ArticleBlocks.Plan.replacingPartialLines(in: "{{#items}}\n{{> partials/article.html}}\n{{/items}}\n"))
        #expect(collapsed == "{{#_gazetteBlocksOfItems}}\n{{{.}}}\n{{/_gazetteBlocksOfItems}}\n")
        var digests = DigestMessageTemplateTests.digests()
        for index in digests.indices {
            digests[index].sections.append(DigestSection(path: SectionPath(components: ["Elsewhere"]), entries: [], moreCount: 4))
        }
        for digest in digests {
            let model = Self.model(digest)
            let assembled = try #require(blocks.renderUnwrapped(model))
            let full = try templates.renderUnwrapped(model)
            #expect(assembled.html == full.html)
            #expect(assembled.text == full.text)
            #expect(full.html.contains("<h2>Elsewhere</h2>\n<p>"))
        }
        try Self.expectSpliced(digests, templates: templates, blocks: blocks, atLeast: digests.count)
    }

    /// The HTML part's size added up from the skeleton and each block's size is the size of
    /// the part assembled and encoded whole: numbers of one and two digits, Hebrew (base64),
    /// and partials whose lines end in spaces, begin with a dot or "From ", or run long
    /// enough to break (the number's digits move where). None may fall back to the whole part.
    @Test(arguments: [nil, awkwardPartial] as [String?])
    func sizesAddedUpFromBlocksAreTheWholePartsSizes(partial: String?) throws {
        let (folder, templates, blocks) = try Self.blocks(partial, text: "[{{number}}] {{title}}\n")
        defer { folder?.remove() }
        // The test digests hold a summary in Japanese, which NFC could change: such a digest is
        // measured whole. Each again with that summary in plain words is added up.
        let plain = Self.digests().map { digest in
            var digest = digest
            for index in digest.sections.indices {
                for entry in digest.sections[index].entries.indices
                where !BodyEncoding.isSurelyNFC(digest.sections[index].entries[entry].article.summary ?? "") {
                    digest.sections[index].entries[entry].article.summary = "Wide text for wrapping, in plain words."
                }
            }
            return digest
        }
        // The first digest is checked against the full rendering before any size is added up.
        _ = try #require(blocks.html(Self.model(plain[0])))
        for digest in Self.digests() + plain {
            let model = Self.model(digest)
            let whole = BodyEncoding.encodedSize(try #require(blocks.html(model)))
            #expect(blocks.htmlEncodedSize(model) == whole, "\(digest.list.name)")
            #expect(try templates.htmlEncodedSize(model, blocks: blocks) == whole)
        }
        #expect(blocks.summedCount == 2 * plain.count)
        #expect(plain.contains { $0.entries.count >= 10 })
    }

    /// Partials that read what an item does not answer from the edition (strings, the list,
    /// the reader, the date) key their blocks by those values.
    @Test func partialsThatReadTheEditionAreKeyedByIt() throws {
        let folder = try Self.templates(
            html: """
                <p id="{{anchor}}">{{number}}. {{title}} {{t.by}} {{list.title}} {{reader.email}} {{date}} {{language}}</p>
                {{#tags}}<a href="{{url}}">{{name}}</a>{{/tags}}

                """,
            text: "{{%CONTENT_TYPE: TEXT}}\n[{{number}}] {{title}} {{list.name}} {{reader.greetingName}}\n")
        defer { folder.remove() }
        let templates = try DigestTemplates.load(overrideDirectory: folder.url.path)
        let blocks = try #require(ArticleBlocks(templates: templates))
        for digest in Self.digests() {
            var digest = digest
            for reader in [DigestMessageTemplateTests.subscriber(0), DigestMessageTemplateTests.subscriber(3)] {
                digest.subscriber = reader
                let model = Self.model(digest)
                let assembled = try #require(blocks.renderUnwrapped(model))
                let full = try templates.renderUnwrapped(model)
                #expect(assembled.html == full.html)
                #expect(assembled.text == full.text)
            }
        }
    }

    /// Templates a block rendered once could not reproduce have no plan: they render in full,
    /// and shared renderings stay byte-identical.
    @Test(arguments: [
        ("html", "{{#items}}\n  {{> partials/article.html}}\n{{/items}}\n"),  // indented
        ("html", "{{#items}}{{> partials/article.html}}{{/items}}\n"),  // not on a line of its own
        ("article", "<p>{{title}} of {{count}}</p>\n"),  // the section's count
        ("article", "<p>{{title}} in {{moreText}}</p>\n"),
        ("article", "<p>{{title}}, {{articleCount}} today</p>\n"),  // the digest's
        ("article", "<p>{{uppercased(title)}}</p>\n"),  // a transform
        ("article", "<p>{{title}}</p>\n{{> partials/footer.html}}\n"),  // a partial inside
        ("article", "<p>{{#number}}n{{/number}}{{title}}</p>\n"),
        ("article", "<p>{{.}}</p>\n"),
        ("article", "<p>{{#t}}{{by}}{{/t}}</p>\n"),
        ("html", "{{=<% %>=}}\n<%#items%>\n<%> partials/article.html%>\n<%/items%>\n"),
    ])
    func templatesBlocksCannotReproduceRenderInFull(_ file: String, _ text: String) throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let partials = folder.url.appendingPathComponent("partials")
        try FileManager.default.createDirectory(at: partials, withIntermediateDirectories: true)
        let path = file == "article" ? "partials/article.html.mustache" : "partials/section.html.mustache"
        try text.write(to: folder.url.appendingPathComponent(path), atomically: true, encoding: .utf8)
        let templates = try DigestTemplates.load(overrideDirectory: folder.url.path)
        #expect(ArticleBlocks(templates: templates) == nil)
        let (spliced, _) = try DigestMessageTemplateTests.compareAll(templates: templates, blocks: nil)
        #expect(spliced > 0)
    }

    /// A title holding a marker's private-use character leaves that digest to the full render.
    @Test func markerCharactersInTheTextRenderInFull() throws {
        let templates = try DigestTemplates.load()
        let blocks = try #require(ArticleBlocks(templates: templates))
        var digest = GoldenDigestTests.digest()
        digest.sections[0].entries[0].article.title = "A \u{E004}1\u{E005} and \u{E002} title"
        let model = Self.model(digest)
        #expect(blocks.renderUnwrapped(model) == nil)
        let personalization = DigestPersonalization(subscriber: digest.subscriber, links: GoldenDigestTests.links)
        let shared = try #require(
            DigestMessageTemplate(model: model, shape: personalization, templates: templates, blocks: blocks))
        let expected = try DigestMessageTemplateTests.fullRender(digest, digest.subscriber, GoldenDigestTests.links, templates)
        let actual = shared.message(
            digest: digest, personalization: personalization, messageID: DigestMessageTemplateTests.messageID(digest.subscriber),
            date: Self.now + 5, boundary: DigestMessageTemplateTests.boundary(digest.subscriber), timeZone: Self.zone)
        #expect(actual == expected)
    }

    /// Items formatted once (`ItemMemo`) and reused under other numbers, with other readers'
    /// follow links or none, render as items formatted afresh.
    @Test func memoizedItemsRenderAsFreshOnes() throws {
        let templates = try DigestTemplates.load()
        let memo = ItemMemo(timeZone: Self.zone, strings: DigestStrings.english)
        for digest in Self.digests() + Self.digests() where digest.list.language == "en" {
            for index in [0, 3, 7] {
                var own = digest
                own.subscriber = DigestMessageTemplateTests.subscriber(index)
                let links = DigestMessageTemplateTests.links(index, list: digest.list)
                let fresh = DigestViewModel(digest: own, date: Self.now, timeZone: Self.zone, links: links)
                let memoized = DigestViewModel(digest: own, date: Self.now, timeZone: Self.zone, links: links, items: memo)
                #expect(try templates.renderUnwrapped(memoized) == templates.renderUnwrapped(fresh), "\(digest.list.name)")
            }
        }
        // Another time zone is not served from it.
        #expect(!memo.serves(timeZone: .gmt, strings: DigestStrings.english))
    }

    /// Templates without transforms are spliced from one sentinel rendering; any tag with a
    /// parenthesis, or a change of delimiters, asks for the second.
    @Test func transformsAreFoundInAnyTag() throws {
        #expect(try !DigestTemplates.load().usesTransforms)
        #expect(DigestTemplates.mayTransform("<p>{{ uppercased(reader.name) }}</p>"))
        #expect(DigestTemplates.mayTransform("{{#reversed(sections)}}{{title}}{{/reversed(sections)}}"))
        #expect(DigestTemplates.mayTransform("{{=<% %>=}}<%count(reader.name)%>"))
        #expect(!DigestTemplates.mayTransform("<p>(Dear {{reader.name}}) {{{t.by}}}</p>"))
    }

    /// The key lists `Plan` reads templates by name every field of each level, so a field
    /// added to the view model is sorted into one of them before blocks can misread it.
    @Test func theKeyListsNameEveryField() throws {
        let model = Self.model(GoldenDigestTests.digest())
        func labels(_ value: Any) -> Set<String> { Set(Mirror(reflecting: value).children.compactMap(\.label)) }
        let item = try #require(model.sections.first?.items.first)
        #expect(labels(item) == ArticleBlocks.Keys.itemAlways.union(ArticleBlocks.Keys.itemOptional))
        #expect(ArticleBlocks.Keys.itemAlways.isDisjoint(with: ArticleBlocks.Keys.itemOptional))
        #expect(labels(try #require(model.sections.first)) == ArticleBlocks.Keys.section)
        #expect(labels(model) == ArticleBlocks.Keys.edition.union(ArticleBlocks.Keys.digest))
        #expect(ArticleBlocks.Keys.edition.isDisjoint(with: ArticleBlocks.Keys.digest))
    }

    /// The templates with `partial` as the HTML article partial and `text` as the text one
    /// (the built-in templates for nil), in a folder the caller removes, and their blocks.
    static func blocks(_ partial: String?, text: String) throws -> (
        folder: TemporaryDirectory?, templates: DigestTemplates, blocks: ArticleBlocks
    ) {
        let folder = try partial.map { try Self.templates(html: $0, text: text) }
        let templates = try DigestTemplates.load(overrideDirectory: folder?.url.path)
        guard let blocks = ArticleBlocks(templates: templates) else {
            folder?.remove()
            throw NoBlockPlan()
        }
        return (folder, templates, blocks)
    }

    struct NoBlockPlan: Error {}

    static func templates(html: String, text: String) throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory()
        let partials = folder.url.appendingPathComponent("partials")
        try FileManager.default.createDirectory(at: partials, withIntermediateDirectories: true)
        try html.write(to: partials.appendingPathComponent("article.html.mustache"), atomically: true, encoding: .utf8)
        try text.write(to: partials.appendingPathComponent("article.txt.mustache"), atomically: true, encoding: .utf8)
        return folder
    }
}
