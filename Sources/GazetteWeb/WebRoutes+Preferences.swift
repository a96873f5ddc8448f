import GazetteApp
import GazetteModel
import Hummingbird

extension WebRoutes {
    /// `/preferences?token=…`: pause or resume, leave lists, and follow or mute the
    /// sections and tags of the token's list. A GET shows the form; its POST saves it.
    /// A digest's tag links add `follow_tag=…`: the GET then ticks that tag's "follow" for
    /// the reader to save (a link never changes anything by itself being opened).
    func preferences(_ request: Request, _ context: WebContext, post: Bool) async throws -> Response {
        let form = try await form(request, context)
        guard let token = token(request, form) else { return refusal(ReaderError.badToken(.malformed)) }
        do {
            var reader = try desk.reader(token: token, environment: environment)
            var note = ""
            if post, reader.subscriber.status != .unsubscribed, reader.subscriber.status != .bounced {
                reader = try desk.save(token: token, choices(form), environment: environment)
                note = "<p><strong>Saved.</strong></p>\n"
            }
            let vocabulary = try desk.vocabulary(for: reader, environment: environment)
            var suggested: String?
            if !post, let tag = request.uri.queryParameters["follow_tag"].map(String.init), vocabulary.tags.contains(tag),
                reader.subscription.map({ !$0.tags.contains(tag) }) ?? false
            {
                suggested = tag
                note = "<p><strong>Save to follow <bdi>\(HTML.escape(tag))</bdi>.</strong> It is ticked below.</p>\n"
            }
            let body =
                "<h1>\(HTML.escape(reader.list.title))</h1>\n" + note
                + preferencesForm(reader, vocabulary, token: token, suggestedTag: suggested)
            return WebPage(title: "Your preferences", body: body, language: vocabulary.language).response()
        } catch {
            return refusal(error)
        }
    }

    /// What the submitted form asks for.
    func choices(_ form: FormBody) -> ReaderDesk.Choices {
        var choices = ReaderDesk.Choices(paused: form["paused"] == "on", lists: Set(form.all("list")))
        choices.sections = form.all("section").map(SectionPath.init(parsing:))
        choices.tags = form.all("tag")
        choices.mutedSections = form.all("mute_section").map(SectionPath.init(parsing:))
        choices.mutedTags = form.all("mute_tag")
        return choices
    }

    private func preferencesForm(
        _ reader: ReaderDesk.Reader, _ vocabulary: ReaderVocabulary, token: String, suggestedTag: String?
    ) -> String {
        let subscriber = reader.subscriber
        switch subscriber.status {
        case .unsubscribed, .bounced:
            return "<p>\(HTML.escape(subscriber.email)) receives nothing from us any more.</p>"
        case .pending:
            return "<p>\(HTML.escape(subscriber.email)) has not confirmed yet: use the link in the confirmation email first.</p>"
        case .active, .paused:
            break
        }
        var fields = "<p class=\"meta\">For \(HTML.escape(subscriber.email))</p>\n"
        fields +=
            "<fieldset><label><input type=\"checkbox\" name=\"paused\"\(subscriber.status == .paused ? " checked" : "")> "
            + "Pause all mail for now</label></fieldset>\n"
        fields += "<h2>Your lists</h2>\n<fieldset>\n"
        for subscription in reader.subscriptions {
            let title = config.lists.first { $0.name == subscription.listName }?.title ?? subscription.listName
            fields +=
                "<label><input type=\"checkbox\" name=\"list\" value=\"\(HTML.escape(subscription.listName))\" checked> "
                + "\(HTML.escape(title))</label>\n"
        }
        fields += "</fieldset>\n<p class=\"meta\">Untick a list to leave it.</p>\n"
        if let subscription = reader.subscription {
            fields += "<h2>Sections</h2>\n<p class=\"meta\">Follow none to get every section. Muted ones never show.</p>\n"
            fields += choiceTable(
                vocabulary.sections.map(\.description), followed: Set(subscription.sections.map(\.description)),
                muted: Set(subscription.mutedSections.map(\.description)), follow: "section", mute: "mute_section")
            if !vocabulary.tags.isEmpty {
                fields += "<h2>Tags</h2>\n"
                fields += choiceTable(
                    vocabulary.tags, followed: Set(subscription.tags + (suggestedTag.map { [$0] } ?? [])),
                    muted: Set(subscription.mutedTags), follow: "tag",
                    mute: "mute_tag")
            }
        }
        return button("Save", token: token, fields: fields)
    }

    private func choiceTable(_ names: [String], followed: Set<String>, muted: Set<String>, follow: String, mute: String) -> String
    {
        var rows = "<table class=\"choices\">\n"
        for name in names {
            let value = HTML.escape(name)
            rows +=
                "<tr><td dir=\"auto\">\(value)</td>"
                + "<td><label><input type=\"checkbox\" name=\"\(follow)\" value=\"\(value)\"\(followed.contains(name) ? " checked" : "")> follow</label></td>"
                + "<td><label><input type=\"checkbox\" name=\"\(mute)\" value=\"\(value)\"\(muted.contains(name) ? " checked" : "")> mute</label></td></tr>\n"
        }
        return rows + "</table>\n"
    }
}
