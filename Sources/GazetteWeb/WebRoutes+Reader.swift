import GazetteApp
import GazetteModel
import GazetteStore
import Hummingbird

extension WebRoutes {
    /// `/unsubscribe?token=…`. A GET shows one button; a POST, that button's or a mail
    /// provider's RFC 8058 one-click (`List-Unsubscribe=One-Click`), takes the reader off the
    /// token's list at once. Twice is the same as once.
    func unsubscribe(_ request: Request, _ context: WebContext, post: Bool) async throws -> Response {
        let form = try await form(request, context)
        guard let token = token(request, form) else { return refusal(ReaderError.badToken(.malformed)) }
        do {
            let reader = try desk.reader(token: token, environment: environment)
            let title = reader.list.title
            guard post else {
                guard reader.subscription != nil, reader.subscriber.status != .unsubscribed else {
                    return WebPage.message("Already unsubscribed", "\(reader.subscriber.email) no longer receives \(title).")
                }
                let body = """
                    <h1>Unsubscribe from \(HTML.escape(title))?</h1>
                    <p>\(HTML.escape(reader.subscriber.email)) will receive no more \(HTML.escape(title)).</p>
                    \(button("Unsubscribe", token: token))
                    <p class="meta"><a href="\(HTML.escape(link("/preferences?token=" + token)))">Or choose what you receive instead</a></p>
                    """
                return WebPage(title: "Unsubscribe", body: body, language: nil).response()
            }
            let result = try desk.unsubscribe(token: token, environment: environment)
            let text =
                switch result {
                case .leftList(let subscriber): "\(subscriber.email) will receive no more \(title). Your other lists go on."
                case .unsubscribed(let subscriber), .alreadyUnsubscribed(let subscriber):
                    "\(subscriber.email) will receive no more \(title)."
                }
            return WebPage.message("You are unsubscribed", text)
        } catch {
            return refusal(error)
        }
    }

    /// `/confirm?token=…`: double opt-in. A GET shows the button; its POST makes the
    /// pending subscriber active.
    func confirm(_ request: Request, _ context: WebContext, post: Bool) async throws -> Response {
        let form = try await form(request, context)
        guard let token = token(request, form) else { return refusal(ReaderError.badToken(.malformed)) }
        do {
            guard post else {
                let verified: ConfirmationToken
                do {
                    verified = try ConfirmationToken.verify(token, key: environment.signingKey)
                } catch {
                    throw ReaderError.badToken(error)
                }
                guard let list = config.lists.first(where: { $0.name == verified.listName }) else {
                    throw ReaderError.unknownList(verified.listName)
                }
                let body = """
                    <h1>Confirm your subscription</h1>
                    <p>Press the button to start receiving \(HTML.escape(list.title)).</p>
                    \(button("Confirm", token: token))
                    """
                return WebPage(title: "Confirm", body: body, language: nil).response()
            }
            let (subscriber, list, changed) = try desk.confirm(token: token, environment: environment)
            return WebPage.message(
                changed ? "Subscription confirmed" : "Already confirmed",
                "\(subscriber.email) will receive \(list.title).")
        } catch {
            return refusal(error)
        }
    }
}
