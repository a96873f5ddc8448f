import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import Hummingbird

extension WebRoutes {
    /// `/archive/`: every list, each with its editions' page and feed.
    func archiveIndex(_ request: Request) throws -> Response {
        var body = "<h1>Archive</h1>\n<ul>\n"
        for list in config.lists {
            body += "<li><a href=\"\(HTML.escape(link("/archive/\(list.name)/")))\">\(HTML.escape(list.title))</a></li>\n"
        }
        body += "</ul>\n"
        return WebPage(title: "Archive", body: body, language: nil).response()
    }

    /// `/archive/LIST/`: the list's sent editions, newest first, and its Atom feed announced.
    func archiveList(_ request: Request, _ context: WebContext) throws -> Response {
        guard let list = archivedList(context) else {
            return WebPage.message("Not found", "There is no such list.", status: .notFound)
        }
        let editions = try EditionArchive(config: config).editions(listName: list.name, environment: environment)
        let feed = absolute("/archive/\(list.name)/feed.atom", request)
        var body = "<h1>\(HTML.escape(list.title))</h1>\n<p class=\"meta\"><a href=\"\(HTML.escape(feed))\">Atom feed</a>"
        if config.web?.publicSubscribe == true {
            body += " · <a href=\"\(HTML.escape(link("/subscribe?list=\(list.name)")))\">Subscribe</a>"
        }
        body += "</p>\n"
        body += editions.isEmpty ? "<p>No edition has been sent yet.</p>\n" : "<ul>\n"
        for edition in editions {
            body += "<li><a href=\"\(HTML.escape(link(editionPath(edition))))\">\(HTML.escape(day(edition.sentAt)))</a></li>\n"
        }
        if !editions.isEmpty { body += "</ul>\n" }
        let head =
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"\(HTML.escape(list.title))\" href=\"\(HTML.escape(feed))\">\n"
        return WebPage(title: list.title, body: body, language: nil, head: head).response()
    }

    /// `/archive/LIST/EDITION/`: the edition as a reader following everything got it.
    func archiveEdition(_ request: Request, _ context: WebContext) throws -> Response {
        guard let list = archivedList(context), let key = context.parameters.get("edition"),
            let page = try EditionArchive(config: config).page(listName: list.name, edition: key, environment: environment)
        else { return WebPage.message("Not found", "There is no such edition.", status: .notFound) }
        var html = page.html
        // The mail template says English, left to right; the archive says what the articles are in.
        if let language = page.language, let range = html.range(of: "<html lang=\"en\" dir=\"ltr\">") {
            let direction = ReaderVocabulary.isRightToLeft(language) ? "rtl" : "ltr"
            html.replaceSubrange(range, with: "<html lang=\"\(HTML.escape(language))\" dir=\"\(direction)\">")
        }
        return WebPage.response(html, contentType: "text/html; charset=utf-8")
    }

    /// `/archive/LIST/feed.atom`: one entry per sent edition.
    func atomFeed(_ request: Request, _ context: WebContext) throws -> Response {
        guard let list = archivedList(context) else {
            return WebPage.message("Not found", "There is no such list.", status: .notFound)
        }
        let editions = try EditionArchive(config: config).editions(listName: list.name, environment: environment)
        let feed = AtomFeed(
            title: list.title, author: list.senderName, selfURL: absolute("/archive/\(list.name)/feed.atom", request),
            pageURL: absolute("/archive/\(list.name)/", request),
            entries: editions.prefix(50).map { edition in
                AtomFeed.Entry(
                    title: "\(list.title) — \(day(edition.sentAt))", url: absolute(editionPath(edition), request),
                    updated: edition.sentAt)
            })
        return WebPage.response(feed.xml, contentType: "application/atom+xml; charset=utf-8")
    }

    private func archivedList(_ context: WebContext) -> SubscriberList? {
        guard let name = context.parameters.get("list") else { return nil }
        return config.lists.first { $0.name == name }
    }

    private func editionPath(_ edition: AppDatabase.SentEdition) -> String {
        "/archive/\(edition.listName)/\(edition.edition)/"
    }

    /// An edition's day as readers say it, in the config's time zone.
    private func day(_ date: Date) -> String {
        var style = Date.FormatStyle(date: .long, time: .omitted)
        style.timeZone = config.timeZone
        return date.formatted(style)
    }
}
