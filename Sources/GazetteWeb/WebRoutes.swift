import Foundation
import GazetteApp
import GazetteModel
import HTTPTypes
import Hummingbird
import NIOCore

/// The routes of `gazette serve` and what they share: the config, the environment, the
/// sign-up limiter, and how links and tokens are read.
struct WebRoutes: Sendable {
    let config: GazetteConfig
    let environment: AppEnvironment
    let limiter: SignUpLimiter

    var desk: ReaderDesk { ReaderDesk(config: config) }

    func register(on router: Router<WebContext>) {
        router.get("/") { _, _ in self.home() }
        router.get("healthz") { _, _ in WebPage.response("ok\n", contentType: "text/plain; charset=utf-8") }
        router.get("unsubscribe") { request, context in try await self.unsubscribe(request, context, post: false) }
        router.post("unsubscribe") { request, context in try await self.unsubscribe(request, context, post: true) }
        router.get("confirm") { request, context in try await self.confirm(request, context, post: false) }
        router.post("confirm") { request, context in try await self.confirm(request, context, post: true) }
        router.get("preferences") { request, context in try await self.preferences(request, context, post: false) }
        router.post("preferences") { request, context in try await self.preferences(request, context, post: true) }
        router.get("subscribe") { request, _ in self.signUpForm(request) }
        router.post("subscribe") { request, context in try await self.signUp(request, context) }
        router.get("archive") { request, _ in try self.archiveIndex(request) }
        router.get("archive/:list") { request, context in try self.archiveList(request, context) }
        router.get("archive/:list/feed.atom") { request, context in try self.atomFeed(request, context) }
        router.get("archive/:list/:edition") { request, context in try self.archiveEdition(request, context) }
    }

    /// A link to `path` on the public site: below `[web] base_url` when set (so it works behind
    /// a proxy that serves Gazette under a path), else from the site's root.
    func link(_ path: String) -> String { (config.web?.baseURL ?? "") + path }

    /// An absolute address for feeds: from `base_url`, else from the request's Host.
    func absolute(_ path: String, _ request: Request) -> String {
        if let web = config.web { return web.url(path) }
        return "http://\(request.head.authority ?? "127.0.0.1")" + path
    }

    /// The request's form fields (empty for a GET), read up to the context's size limit.
    func form(_ request: Request, _ context: WebContext) async throws -> FormBody {
        guard request.method == .post else { return FormBody("") }
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        return FormBody(String(buffer: buffer))
    }

    /// The token from the query (links, RFC 8058's POST) or the form (the pages' buttons).
    func token(_ request: Request, _ form: FormBody) -> String? {
        (request.uri.queryParameters["token"].map(String.init) ?? form["token"]).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The page for a request the reader's link cannot carry out, with a status that says why.
    func refusal(_ error: any Error) -> Response {
        switch error {
        case ReaderError.badToken(.malformed):
            WebPage.message(
                "This link is not valid", "It looks cut short or changed. Open the newest link from your email.",
                status: .badRequest)
        case ReaderError.badToken(.badSignature):
            WebPage.message(
                "This link is not valid", "It was changed, or it is not from us. Open the newest link from your email.",
                status: .forbidden)
        case ReaderError.unknownList, ReaderError.noSuchReader, AdminError.noSuchSubscriber:
            WebPage.message("Not found", String(describing: error), status: .notFound)
        case AdminError.wrongStatus(_, let status, _, _):
            WebPage.message(
                "Nothing to do", "This address is \(status.rawValue); this link does not change that.", status: .conflict)
        default:
            WebPage.message("Something went wrong", "Please try again later.", status: .internalServerError)
        }
    }

    func home() -> Response {
        var body = "<h1>Newsletters</h1>\n<p><a href=\"\(HTML.escape(link("/archive/")))\">The archive</a></p>\n"
        if config.web?.publicSubscribe == true { body += "<p><a href=\"\(HTML.escape(link("/subscribe")))\">Subscribe</a></p>\n" }
        return WebPage(title: "Newsletters", body: body, language: nil).response()
    }

    /// A form that POSTs back to this page, carrying the token.
    func button(_ label: String, token: String, fields: String = "") -> String {
        """
        <form method="post">
        <input type="hidden" name="token" value="\(HTML.escape(token))">
        \(fields)<button type="submit">\(HTML.escape(label))</button>
        </form>
        """
    }
}
