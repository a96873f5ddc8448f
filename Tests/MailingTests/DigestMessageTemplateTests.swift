import Foundation
import GazetteModel
import GazetteTestSupport
import Testing

@testable import Mailing

/// A digest rendered once and spliced per subscriber (`DigestMessageTemplate`) gives the same
/// bytes as the full rendering of each subscriber's message (`DigestTemplates.render`,
/// `DigestMessageComposer.compose`, `MIMEWriter.render`), which stays the reference: preview
/// and every subscriber the shared rendering cannot serve go through it.
@Suite struct DigestMessageTemplateTests {
    static let now = GoldenDigestTests.now
    static let zone = GoldenDigestTests.zone

    /// Readers chosen for what they exercise; the index is their subscriber id.
    static let readers: [(email: String, name: String?)] = [
        ("editor@gazette.test", "Dana Editor"),
        ("reader@gazette.test", "נועה ברק"),
        ("quotes@gazette.test", "Dana \"DJ\" O'Neil"),
        ("markup@gazette.test", "Tom & Jerry <fans> & co"),
        ("amp@gazette.test", "&amp; &lt;b&gt; not markup"),
        (
            "long@gazette.test",
            "Maximilian Alexander Konstantin von und zu Hohenzollern-Sigmaringen-Liechtenstein the Third of his Name"
        ),
        ("longhebrew@gazette.test", "אברהם בן דוד הלוי מבית המדרש הגדול שבעיר העתיקה ירושלים עיר הקודש והמקדש לדורי דורות"),
        ("from@gazette.test", "A reader with a name long enough that its line wraps right here at. From Somewhere"),
        ("equals@gazette.test", "x=y =?utf-8?b?SGk=?= ends with a space "),
        ("empty@gazette.test", ""),
        ("noname@gazette.test", nil),
        ("reader+digest@gazette.test", "Plus Addressed"),
        ("reader@xn--4dbrk0ce.test", nil),
        ("קורא@דוגמה.test", "קורא"),
        ("a.very.long.address.that.goes.on.and.on.and.on.for.the.wrap@subscribers.example.test", nil),
        ("controls@gazette.test", "Tab\there\nand a line break"),
        ("decomposed@gazette.test", "Rene\u{301}e"),
        ("emoji@gazette.test", "Dana 👩‍💻"),
    ]

    /// Names the shared rendering must leave to the full render: normalization could change them.
    static let unspliceable: Set<String> = ["decomposed@gazette.test", "emoji@gazette.test"]

    static func subscriber(_ index: Int) -> Subscriber {
        let reader = readers[index]
        return Subscriber(id: Int64(index + 1), email: reader.email, name: reader.name, createdAt: now)
    }

    /// Signed-token links of the list's kind: https endpoints, or the mailto link only.
    static func links(_ index: Int, list: SubscriberList) -> DigestLinks {
        DigestLinks.make(
            token: "v1.\(index + 1).\(list.name).\(String(repeating: "AbC-_", count: 4 + index % 5))\(index)",
            senderAddress: list.senderAddress, unsubscribeTemplate: list.unsubscribeURLTemplate,
            preferencesTemplate: list.preferencesURLTemplate)
    }

    /// The golden digest on two lists (web endpoints or mailto only), and a long one mostly in
    /// Hebrew whose parts are base64 rather than quoted-printable.
    static func digests() -> [Digest] {
        var withEndpoints = GoldenDigestTests.digest()
        withEndpoints.list.unsubscribeURLTemplate = "https://news.sample.test/unsubscribe?token={token}"
        withEndpoints.list.preferencesURLTemplate = "https://news.sample.test/preferences?token={token}&from=digest"
        var mailtoOnly = GoldenDigestTests.digest()
        mailtoOnly.list = SubscriberList(
            name: "weekly", title: "Weekly & <More>", senderName: "Weekly", senderAddress: "weekly@sample.test")
        var hebrew = GoldenDigestTests.digest()
        let story = hebrew.sections[0].entries[0]
        hebrew.sections[0].entries = (0..<12).map { index in
            var entry = story
            entry.article.url += "\(index)"
            entry.article.title += " \(index)"
            entry.article.summary = String(repeating: story.article.summary + " ", count: 3)
            return entry
        }
        return [withEndpoints, mailtoOnly, hebrew]
    }

    static func fullRender(_ digest: Digest, _ subscriber: Subscriber, _ links: DigestLinks, _ templates: DigestTemplates) throws
        -> Data
    {
        var digest = digest
        digest.subscriber = subscriber
        let model = DigestViewModel(digest: digest, date: now, timeZone: zone, links: links)
        let message = DigestMessageComposer.compose(
            digest: digest, rendered: try templates.render(model), subject: model.subject, messageID: messageID(subscriber),
            date: now + 5, links: links)
        return MIMEWriter.render(message, boundary: boundary(subscriber), timeZone: zone)
    }

    static func messageID(_ subscriber: Subscriber) -> String { "2026-11-26.daily.\(subscriber.id ?? 0).token@sample.test" }
    static func boundary(_ subscriber: Subscriber) -> String { "=_gazette_\(subscriber.id ?? 0)abcdef" }

    /// Every reader's message from one shared rendering per shape, built from the first
    /// reader of that shape, compared with their full rendering.
    /// - Returns: how many messages were spliced, and the readers left to the full render.
    static func compareAll(templates: DigestTemplates, blocks: ArticleBlocks? = nil, digests: [Digest] = digests()) throws -> (
        spliced: Int, fullRender: Set<String>
    ) {
        var spliced = 0
        var fullRender: Set<String> = []
        for digest in digests {
            var shared: [DigestPersonalization.Shape: DigestMessageTemplate] = [:]
            for index in readers.indices {
                let subscriber = subscriber(index)
                let links = links(index, list: digest.list)
                let personalization = DigestPersonalization(subscriber: subscriber, links: links)
                if shared[personalization.shape] == nil {
                    var own = digest
                    own.subscriber = subscriber
                    let model = DigestViewModel(digest: own, date: now, timeZone: zone, links: links)
                    shared[personalization.shape] = try #require(
                        DigestMessageTemplate(model: model, shape: personalization, templates: templates, blocks: blocks))
                }
                var own = digest
                own.subscriber = subscriber
                let expected = try Self.fullRender(digest, subscriber, links, templates)
                guard
                    let actual = shared[personalization.shape]?.message(
                        digest: own, personalization: personalization, messageID: messageID(subscriber), date: now + 5,
                        boundary: boundary(subscriber), timeZone: zone)
                else {
                    fullRender.insert(subscriber.email)
                    continue
                }
                spliced += 1
                #expect(actual == expected, "\(digest.list.name), \(subscriber.email): spliced and full rendering differ")
                if actual != expected { firstDifference(actual, expected) }
            }
        }
        return (spliced, fullRender)
    }

    static func firstDifference(_ actual: Data, _ expected: Data) {
        let a = Array(actual), e = Array(expected)
        let at = a.indices.first { $0 >= e.count || a[$0] != e[$0] } ?? a.count
        Issue.record(
            """
            first difference at byte \(at):
            spliced: \(String(decoding: a[max(0, at - 80)..<min(a.count, at + 80)], as: UTF8.self))
            full:    \(String(decoding: e[max(0, at - 80)..<min(e.count, at + 80)], as: UTF8.self))
            """)
    }

    @Test func splicedMessagesAreByteIdenticalToFullRenders() throws {
        let (spliced, fullRender) = try Self.compareAll(templates: DigestTemplates.load())
        #expect(fullRender == Self.unspliceable)
        #expect(spliced == Self.digests().count * (Self.readers.count - Self.unspliceable.count))
    }

    /// Templates that use personal fields raw and escaped, as sections and inverted sections,
    /// in attributes, and on lines of their own: the same bytes again.
    @Test func userTemplatesThatUsePersonalFieldsEverywhere() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let partials = folder.url.appendingPathComponent("partials")
        try FileManager.default.createDirectory(at: partials, withIntermediateDirectories: true)
        try """
        <p>{{#reader.name}}Dear {{.}} ({{{reader.name}}}){{/reader.name}}{{^reader.name}}Dear reader{{/reader.name}}</p>
        <a href="mailto:{{reader.email}}" title="{{reader.greetingName}}">{{{reader.email}}}</a>
        <a href="{{{unsubscribeMailto}}}">{{unsubscribeURL}}</a>{{#preferencesURL}} <a href="{{.}}">prefs</a>{{/preferencesURL}}
        {{#reader.name}}{{reader.name}}{{reader.name}}{{/reader.name}}
        {{> partials/footer.html}}
        """.write(to: folder.url.appendingPathComponent("digest.html.mustache"), atomically: true, encoding: .utf8)
        try """
        {{%CONTENT_TYPE: TEXT}}
        {{#reader.name}}Dear {{reader.name}} <{{reader.email}}>, this line is long enough to wrap when the name is long{{/reader.name}}
            Indented {{reader.greetingName}} with a continuation indent {{unsubscribeMailto}} {{reader.email}}
        {{#reader.name}}{{reader.name}}{{/reader.name}}{{reader.email}}
        {{> partials/footer.txt}}
        """.write(to: folder.url.appendingPathComponent("digest.txt.mustache"), atomically: true, encoding: .utf8)
        let (spliced, fullRender) = try Self.compareAll(templates: DigestTemplates.load(overrideDirectory: folder.url.path))
        #expect(fullRender == Self.unspliceable)
        #expect(spliced > 0)
    }

    /// A template that transforms a personal field cannot be spliced: the sentinel would be
    /// transformed, not the value. Such templates render in full.
    @Test(arguments: [
        "{{uppercased(reader.name)}}", "{{lowercased(reader.email)}}", "{{reversed(reader.greetingName)}}",
        "{{capitalized(reader.name)}}",
    ])
    func transformedPersonalFieldsAreNotSpliced(_ use: String) throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try "<p>\(use)</p>\n".write(
            to: folder.url.appendingPathComponent("digest.html.mustache"), atomically: true, encoding: .utf8)
        let templates = try DigestTemplates.load(overrideDirectory: folder.url.path)
        let digest = GoldenDigestTests.digest()
        let personalization = DigestPersonalization(subscriber: digest.subscriber, links: GoldenDigestTests.links)
        let model = DigestViewModel(digest: digest, date: Self.now, timeZone: Self.zone, links: GoldenDigestTests.links)
        let spliceable = DigestMessageTemplate(model: model, shape: personalization, templates: templates) != nil
        #expect(!spliceable)
    }

    /// The HTML budget is checked against each subscriber's own HTML size as sent.
    @Test func htmlEncodedSizeIsTheFullRenderingsSize() throws {
        let templates = try DigestTemplates.load()
        for digest in Self.digests() {
            for index in Self.readers.indices where !Self.unspliceable.contains(Self.readers[index].email) {
                var own = digest
                own.subscriber = Self.subscriber(index)
                let links = Self.links(index, list: digest.list)
                let model = DigestViewModel(digest: own, date: Self.now, timeZone: Self.zone, links: links)
                let personalization = DigestPersonalization(subscriber: own.subscriber, links: links)
                let template = try #require(DigestMessageTemplate(model: model, shape: personalization, templates: templates))
                let html = try templates.render(model).html
                let size = try #require(template.htmlEncodedSize(personalization))
                #expect(size == RenderedDigest(text: "", html: html).htmlEncodedSize)
                #expect(size.bytes == BodyEncoding.encode(html).body.utf8.count)
            }
        }
    }

    /// A template made for one shape (a named reader) refuses another (no name).
    @Test func aTemplateRefusesAnotherShape() throws {
        let templates = try DigestTemplates.load()
        let digest = GoldenDigestTests.digest()
        let named = DigestPersonalization(subscriber: digest.subscriber, links: GoldenDigestTests.links)
        var anonymous = digest.subscriber
        anonymous.name = nil
        let unnamed = DigestPersonalization(subscriber: anonymous, links: GoldenDigestTests.links)
        let model = DigestViewModel(digest: digest, date: Self.now, timeZone: Self.zone, links: GoldenDigestTests.links)
        let template = try #require(DigestMessageTemplate(model: model, shape: named, templates: templates))
        #expect(template.htmlEncodedSize(unnamed) == nil)
        #expect(
            template.message(
                digest: digest, personalization: unnamed, messageID: "x@y", date: Self.now, boundary: "b", timeZone: Self.zone)
                == nil)
    }

    /// A rendered part is read as lines: those without a personal field as ranges of its
    /// bytes (a run of them is encoded as one stretch), those with one as pieces; a sentinel
    /// taken apart, or a CR, refuses the part.
    @Test func aRenderedPartReadsAsRangesAndPieces() throws {
        let sentinel = Sentinel.variants[0]
        let email = sentinel.sentinel(.email)
        let escapedName = sentinel.sentinel(.name).replacingOccurrences(of: "&", with: "&amp;")
        let part = try #require(sentinel.parse("<p>One</p>\n\nTo \(email), hi \(escapedName)!\nשלום"))
        let text = { (range: Range<Int>) in String(decoding: part.bytes[range], as: UTF8.self) }
        #expect(part.lines.count == 4)
        guard part.lines.count == 4, case .literal(let first) = part.lines[0], case .literal(let empty) = part.lines[1],
            case .personal(let pieces) = part.lines[2], case .literal(let last) = part.lines[3]
        else {
            Issue.record("lines read as \(part.lines)")
            return
        }
        #expect(text(first) == "<p>One</p>")
        #expect(empty.isEmpty)
        #expect(
            pieces == [
                .literal("To "), .field(.email, escaped: false), .literal(", hi "), .field(.name, escaped: true), .literal("!"),
            ])
        #expect(text(last) == "שלום")
        // The same part with the other sentinels reads alike; another text does not.
        let other = Sentinel.variants[1]
        let twin = try #require(
            other.parse(
                "<p>One</p>\n\nTo \(other.sentinel(.email)), hi \(other.sentinel(.name).replacingOccurrences(of: "&", with: "&amp;"))!\nשלום"
            ))
        #expect(twin.readsAs(part))
        #expect(!(try #require(other.parse("<p>Two</p>\n\nTo \(other.sentinel(.email))!\nשלום"))).readsAs(part))
        #expect(sentinel.parse("a \u{E001} b") == nil)
        #expect(sentinel.parse("a \(email.dropLast(3))") == nil)
        #expect(sentinel.parse("a\r\nb") == nil)
    }
}
