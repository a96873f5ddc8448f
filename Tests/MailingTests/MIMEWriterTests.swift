import Foundation
import GazetteTestSupport
import Mailing
import Testing

@Suite struct MIMEWriterTests {
    let date = Date(timeIntervalSince1970: 1_795_676_400)

    private func message(subject: String = "Daily — 26 Nov 2026", toName: String? = "Dana Editor", text: String = "Hello\n", html: String = "<p>Hello</p>") -> MailMessage {
        MailMessage(
            from: MailAddress(name: "Sample Digest", address: "digest@sample.test"),
            to: MailAddress(name: toName, address: "dana@sample.test"),
            subject: subject, date: date, messageID: "gazette.daily.2026-11-26.abc@sample.test",
            extraHeaders: [("List-Id", "\"Sample Daily\" <daily.sample.test>")],
            text: text, html: html)
    }

    private func parse(_ data: Data) throws -> ParsedEmail {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let file = folder.url.appendingPathComponent("m.eml")
        try data.write(to: file)
        return try #require(try ParsedEmail.parse([file]).first)
    }

    @Test func aStandardParserReadsBothPartsInOrderWithoutDefects() throws {
        let hebrew = "שלום, זה תקציר היום עם הרבה טקסט בעברית כדי שהגוף יקודד ב-base64 ולא כ-quoted-printable.\n"
        let data = MIMEWriter.render(message(text: "Plain = text with a very long line " + String(repeating: "word ", count: 40) + "\n.leading dot\nFrom the start\n", html: "<p dir=\"auto\">" + hebrew + "</p>"), boundary: "=_gazette_test")
        let parsed = try parse(data)
        #expect(parsed.type == "multipart/alternative")
        #expect(parsed.defects.isEmpty)
        #expect(parsed.parts.map(\.type) == ["text/plain", "text/html"])
        #expect(parsed.parts.allSatisfy { $0.charset == "utf-8" })
        #expect(parsed.parts[0].encoding == "quoted-printable")
        #expect(parsed.parts[1].encoding == "base64")
        #expect(parsed.parts[0].body.contains("Plain = text with a very long line word word"))
        #expect(parsed.parts[0].body.contains("word \n.leading dot\nFrom the start"))  // trailing space kept
        #expect(parsed.parts[1].body.contains(hebrew.trimmingCharacters(in: .newlines)))
        #expect(parsed.maxLineLength <= 78)
        #expect(!parsed.bareLF)
        #expect(!parsed.nonASCII)
        #expect(parsed.headers["MIME-Version"] == "1.0")
        #expect(parsed.headers["Message-ID"] == "<gazette.daily.2026-11-26.abc@sample.test>")
        #expect(parsed.headers["Date"] == "Thu, 26 Nov 2026 07:00:00 +0000")
        #expect(parsed.headers["List-Id"] == "\"Sample Daily\" <daily.sample.test>")
    }

    @Test func nonASCIISubjectsAndNamesAreEncodedWordsThatDecodeBack() throws {
        let subject = "עדכון חדשות יומי – 26 בנובמבר: כותרות ארוכות מאוד שחייבות להתקפל על פני כמה שורות"
        let data = MIMEWriter.render(message(subject: subject, toName: "נועה ברק"), boundary: "=_gazette_test")
        let parsed = try parse(data)
        #expect(parsed.defects.isEmpty)
        #expect(parsed.headers["Subject"] == subject)
        #expect(parsed.headers["To"] == "נועה ברק <dana@sample.test>")
        #expect(parsed.maxLineLength <= 78)
        #expect(!parsed.nonASCII)
    }

    @Test func displayNamesWithSpecialsAreQuoted() throws {
        let parsed = try parse(MIMEWriter.render(message(toName: "Levi, Omer (desk)"), boundary: "=_b"))
        #expect(parsed.headers["To"] == "\"Levi, Omer (desk)\" <dana@sample.test>")
    }

    @Test func lineBreaksInHeaderValuesCannotInjectHeaders() throws {
        let parsed = try parse(MIMEWriter.render(message(subject: "News\r\nBcc: victim@evil.test\nX: y"), boundary: "=_b"))
        #expect(parsed.headers["Bcc"] == nil)
        #expect(parsed.headers["X"] == nil)
        #expect(parsed.headers["Subject"]?.hasPrefix("News") == true)
    }

    @Test func aSubscribersNameCannotInjectHeadersEither() throws {
        let parsed = try parse(MIMEWriter.render(message(toName: "Dana\r\nBcc: victim@evil.test"), boundary: "=_b"))
        #expect(parsed.headers["Bcc"] == nil)
        #expect(parsed.defects.isEmpty)
    }

    @Test func quotedPrintableFollowsRFC2045() {
        let data = MIMEWriter.render(message(text: "a=b \ntrailing tab\t\nnaïve\n"), boundary: "=_b")
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("a=3Db=20\r\n"))
        #expect(text.contains("trailing tab=09\r\n"))
        #expect(text.contains("na=C3=AFve\r\n"))
    }
}
