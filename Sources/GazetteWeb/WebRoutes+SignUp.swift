import Foundation
import GazetteApp
import GazetteModel
import HTTPTypes
import Hummingbird

extension WebRoutes {
    /// The honeypot: a field people never see or fill in, and form-filling robots do.
    static let honeypot = "website"

    /// `GET /subscribe`: the public sign-up form, when `[web] subscribe = true`.
    func signUpForm(_ request: Request, problem: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        guard config.web?.publicSubscribe == true else {
            return WebPage.message("Not found", "There is no sign-up form here.", status: .notFound)
        }
        let chosen = request.uri.queryParameters["list"].map(String.init)
        var body = "<h1>Subscribe</h1>\n"
        if let problem { body += "<p><strong>\(HTML.escape(problem))</strong></p>\n" }
        body +=
            "<form method=\"post\">\n<label>Your email address<input type=\"email\" name=\"email\" required autocomplete=\"email\"></label>\n"
        body +=
            "<div class=\"hidden\" aria-hidden=\"true\"><label>Leave this empty<input type=\"text\" name=\"\(Self.honeypot)\" tabindex=\"-1\" autocomplete=\"off\"></label></div>\n"
        body += "<fieldset>\n"
        for list in config.lists {
            let checked = config.lists.count == 1 || chosen == list.name ? " checked" : ""
            body +=
                "<label><input type=\"checkbox\" name=\"list\" value=\"\(HTML.escape(list.name))\"\(checked)> \(HTML.escape(list.title))</label>\n"
        }
        body += "</fieldset>\n<button type=\"submit\">Subscribe</button>\n</form>\n"
        body += "<p class=\"meta\">We send one email to confirm; nothing else until you do.</p>\n"
        return WebPage(title: "Subscribe", body: body, language: nil).response(status: status)
    }

    /// `POST /subscribe`: a pending subscriber and the confirmation mail. The answer is the
    /// same for a new address, a known one and a robot's (honeypot) so the form reveals nothing.
    func signUp(_ request: Request, _ context: WebContext) async throws -> Response {
        guard config.web?.publicSubscribe == true else {
            return WebPage.message("Not found", "There is no sign-up form here.", status: .notFound)
        }
        guard await limiter.allow(client(request, context), at: environment.now()) else {
            return WebPage.message(
                "Too many sign-ups", "Too many sign-ups came from your network this hour; please try later.",
                status: .tooManyRequests)
        }
        let form = try await form(request, context)
        let accepted = WebPage.message(
            "Check your mailbox", "If the address can receive mail, a message is on its way: open its link to confirm.")
        if let trap = form[Self.honeypot], !trap.isEmpty { return accepted }
        switch await desk.signUp(email: form["email"] ?? "", lists: form.all("list"), environment: environment) {
        case .accepted: return accepted
        case .invalidAddress(let reason):
            return signUpForm(request, problem: "That address cannot be used: \(reason).", status: .badRequest)
        case .noList: return signUpForm(request, problem: "Choose at least one list.", status: .badRequest)
        case .notSent:
            return WebPage.message(
                "Please try later", "The confirmation email could not be sent just now.", status: .serviceUnavailable)
        }
    }

    /// Who is asking: the peer, or behind a proxy on this machine the address the proxy
    /// added last to `X-Forwarded-For` (the one it saw; earlier ones are the client's word).
    func client(_ request: Request, _ context: WebContext) -> String {
        let peer = context.peerAddress ?? "unknown"
        guard peer.hasPrefix("127.") || peer == "::1",
            let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!]?.split(separator: ",").last
        else { return peer }
        return forwarded.trimmingCharacters(in: .whitespaces)
    }
}
