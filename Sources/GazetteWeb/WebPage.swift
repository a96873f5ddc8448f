import GazetteApp
import HTTPTypes
import Hummingbird
import NIOCore

/// One HTML page of `gazette serve`, in the digest's own look: the same paper background,
/// white card and type. No script, no outside resource; narrow screens get a full-width card.
struct WebPage {
    var title: String
    /// Already escaped HTML for the card.
    var body: String
    /// BCP 47 language of the page's content; `dir` follows it.
    var language: String?
    /// Extra `<head>` lines, already escaped (the archive's Atom link).
    var head: String = ""

    var html: String {
        let language = self.language ?? "en"
        let direction = ReaderVocabulary.isRightToLeft(language) ? "rtl" : "ltr"
        return """
            <!DOCTYPE html>
            <html lang="\(HTML.escape(language))" dir="\(direction)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <meta name="referrer" content="no-referrer">
            <title>\(HTML.escape(title))</title>
            \(head)<style>
            body { margin: 0; padding: 24px 8px; background: #f3f1ec; color: #1a1a1a; font: 16px/1.5 Helvetica, Arial, sans-serif; }
            main { max-width: 600px; margin: 0 auto; background: #fff; border-radius: 6px; padding: 28px 32px; box-sizing: border-box; }
            h1 { font: bold 26px/32px Georgia, 'Times New Roman', serif; margin: 0 0 12px; }
            h2 { font-size: 14px; letter-spacing: .06em; text-transform: uppercase; border-bottom: 2px solid #1a1a1a; padding-bottom: 6px; margin: 24px 0 8px; }
            a { color: #b3261e; }
            .meta { color: #6b6760; font-size: 13px; }
            fieldset { border: 0; padding: 0; margin: 0 0 12px; }
            label { display: block; padding: 6px 0; }
            input[type=email] { width: 100%; box-sizing: border-box; font-size: 16px; padding: 10px; border: 1px solid #c9c4ba; border-radius: 4px; }
            button { font-size: 16px; padding: 12px 20px; border: 0; border-radius: 4px; background: #1a1a1a; color: #fff; cursor: pointer; margin-top: 12px; }
            table.choices { border-collapse: collapse; width: 100%; }
            table.choices td { padding: 4px 6px; border-bottom: 1px solid #efebe3; }
            table.choices td + td { white-space: nowrap; width: 1%; }
            .hidden { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
            @media (max-width: 620px) { body { padding: 8px; } main { padding: 20px 16px; } }
            @media (prefers-color-scheme: dark) { body { background: #121212; color: #e8e6e3; } main { background: #1e1e1e; } h2 { border-color: #e8e6e3; } .meta { color: #a8a49c; } }
            </style>
            </head>
            <body>
            <main>
            \(body)
            </main>
            </body>
            </html>

            """
    }

    /// The page as a response. Pages are never cached (they may show a reader's choices),
    /// forbid scripts and framing, and send no referrer, since their address holds a token.
    func response(status: HTTPResponse.Status = .ok) -> Response {
        WebPage.response(html, status: status, contentType: "text/html; charset=utf-8")
    }

    static func response(_ text: String, status: HTTPResponse.Status = .ok, contentType: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A short page that says one thing: a result, or why a link did not work.
    static func message(_ title: String, _ text: String, language: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        WebPage(title: title, body: "<h1>\(HTML.escape(title))</h1>\n<p>\(HTML.escape(text))</p>", language: language)
            .response(status: status)
    }
}
