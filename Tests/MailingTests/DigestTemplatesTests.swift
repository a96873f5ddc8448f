import Foundation
import GazetteModel
import GazetteTestSupport
@testable import Mailing
import Testing

@Suite struct DigestTemplatesTests {
    let now = Date(timeIntervalSince1970: 1_795_676_400)

    private func model(title: String = "Turkey pushes for role in Gaza force", tags: [String] = ["Turkey", "ISF"]) -> DigestViewModel {
        var article = Article.fixture(title, section: "News > Middle East", tags: tags, firstSeenAt: now - 60)
        article.authors = ["Ariel Kahana"]
        let digest = Digest(
            list: .fixture(), subscriber: Subscriber(email: "r@sample.test", name: "Dana", createdAt: now),
            window: DigestWindow(start: now - 86_400, end: now),
            sections: [DigestSection(path: article.section, articles: [article])],
            tagIndex: tags.map { TagCount(tag: $0, count: 1) })
        return DigestViewModel(
            digest: digest, date: now, timeZone: TimeZone(identifier: "Asia/Jerusalem") ?? .gmt,
            links: DigestLinks(unsubscribeMailto: "mailto:digest@sample.test?subject=unsubscribe%20t"))
    }

    @Test func theEmbeddedTemplatesMatchTheTemplatesFolder() throws {
        let folder = RepoPaths.templates
        let files = try #require(FileManager.default.enumerator(atPath: folder.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".mustache") }
        #expect(files.count == DefaultTemplates.files.count, "run `make templates` after editing templates/")
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(DefaultTemplates.files[String(file.dropLast(".mustache".count))] == text,
                "templates/\(file) differs from the embedded copy; run `make templates`")
        }
    }

    @Test func rendersBothPartsFromTheViewModel() throws {
        let rendered = try DigestTemplates.load().render(model())
        #expect(rendered.text.contains("[1] Turkey pushes for role in Gaza force"))
        #expect(rendered.text.contains("26 Nov 2026, 08:59 · by Ariel Kahana"))
        #expect(rendered.text.contains("== News > Middle East (1) =="))
        #expect(rendered.text.contains("Tags: Turkey\u{A0}· ISF"))  // no line starts with "·"
        #expect(rendered.html.contains("<a href=\"https://sample.test/turkey-pushes-for-role-in-gaza-force/\""))
        #expect(rendered.html.contains("News &gt; Middle East"))
        #expect(rendered.text.split(separator: "\n").allSatisfy { $0.count <= 72 || $0.contains("https://") })
    }

    @Test func hostileTitlesAreTextInHTMLAndUnchangedInText() throws {
        let title = "\"><img src=x onerror=alert(1)> <script>alert(2)</script>"
        let rendered = try DigestTemplates.load().render(model(title: title, tags: ["<b>tag</b>"]))
        #expect(!rendered.html.contains("<script>"))
        #expect(!rendered.html.contains("<img"))
        #expect(!rendered.html.contains("<b>tag"))
        #expect(rendered.html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"))
        #expect(rendered.text.contains(title))
    }

    @Test func onlyWebLinksBecomeLinks() throws {
        var article = Article.fixture("Click me", url: "javascript:alert(document.cookie)", firstSeenAt: now - 60)
        article.imageURL = "data:image/svg+xml;base64,PHN2Zz4="
        let digest = Digest(
            list: .fixture(), subscriber: Subscriber(email: "r@sample.test", createdAt: now), window: DigestWindow(start: now - 60, end: now),
            sections: [DigestSection(path: article.section, articles: [article])], tagIndex: [])
        let model = DigestViewModel(digest: digest, date: now, timeZone: .gmt, links: DigestLinks(unsubscribeMailto: "mailto:x@sample.test"))
        let html = try DigestTemplates.load().render(model).html
        #expect(!html.contains("javascript:"))
        #expect(!html.contains("data:image"))
        #expect(html.contains("<a href=\"#\""))
    }

    @Test func aUserFolderOverridesOneFileAndKeepsTheRest() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("partials"), withIntermediateDirectories: true)
        try "{{%CONTENT_TYPE: TEXT}}\n* {{title}}\n".write(to: folder.url.appendingPathComponent("partials/article.txt.mustache"), atomically: true, encoding: .utf8)
        let rendered = try DigestTemplates.load(overrideDirectory: folder.url.path).render(model())
        #expect(rendered.text.contains("* Turkey pushes for role in Gaza force"))
        #expect(!rendered.text.contains("[1] Turkey"))
        #expect(rendered.html.contains("Turkey pushes for role"))  // HTML still from the built-in set
    }

    @Test func aBrokenTemplateIsReportedWithFileAndLine() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try "<p>\n{{#sections}}\n{{title}}\n".write(to: folder.url.appendingPathComponent("digest.html.mustache"), atomically: true, encoding: .utf8)
        #expect {
            try DigestTemplates.load(overrideDirectory: folder.url.path)
        } throws: { error in
            guard case .syntax(let file, let line, _, _) = error as? TemplateError else { return false }
            return file.hasSuffix("digest.html.mustache") && line >= 2
        }
    }
}
