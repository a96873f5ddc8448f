import Foundation
import GazetteModel
import Mailing

/// The render case: one 60-article digest (3 top stories, 57 articles in 8 sections, a tag
/// index, a quarter in Hebrew, a third with images) rendered for many subscribers, each
/// message personalized (name, address, signed-token links, Message-ID, boundary).
///
/// As `gazette send` does it for subscribers who share a digest: rendered once with
/// sentinels on the first message (`DigestMessageTemplate`: both templates twice, the wrap and
/// the encoding of every line), then per message the personal lines and the headers. With
/// `full`, each message is rendered in full (view model, both Mustache templates, text wrap,
/// headers, MIME encoding), as for a subscriber whose digest nobody else gets.
struct RenderBenchmark {
    let messages: Int
    var full = false
    let digest: Digest
    let templates: DigestTemplates
    let now = Date(timeIntervalSince1970: 1_795_676_400)
    let timeZone = TimeZone(identifier: "Asia/Jerusalem") ?? .gmt

    /// Each subscriber's signed-token stand-in, made before timing: the Python peer reads them
    /// from the digest's JSON, and `gazette send` signs them while building digests.
    let tokens: [String]

    init(messages: Int) throws {
        self.messages = messages
        tokens = (0..<messages).map(Self.token)
        digest = Self.makeDigest(now: now)
        templates = try DigestTemplates.load()
    }

    struct Result {
        var seconds: Double
        var bytes: Int
    }

    func run() -> Result {
        let clock = ContinuousClock()
        var bytes = 0
        let start = clock.now
        var template: DigestMessageTemplate?
        for index in 0..<messages {
            bytes += (full ? message(for: index) : sharedMessage(for: index, template: &template)).count
        }
        return Result(seconds: (clock.now - start).seconds, bytes: bytes)
    }

    /// Subscriber `index`'s digest, token and links.
    func personal(_ index: Int) -> (digest: Digest, token: String, links: DigestLinks) {
        var personal = digest
        personal.subscriber = Subscriber(
            id: Int64(index + 1), email: "reader\(index)@subscribers.bench.test", name: "Reader \(index)", createdAt: now)
        let token = tokens[index]
        let links = DigestLinks.make(
            token: token, senderAddress: digest.list.senderAddress, unsubscribeTemplate: digest.list.unsubscribeURLTemplate,
            preferencesTemplate: digest.list.preferencesURLTemplate)
        return (personal, token, links)
    }

    /// Subscriber `index`'s message spliced from the shared rendering, made on first use.
    func sharedMessage(for index: Int, template: inout DigestMessageTemplate?) -> Data {
        let (personal, token, links) = personal(index)
        let personalization = DigestPersonalization(subscriber: personal.subscriber, links: links)
        if template?.shape != personalization.shape {
            let model = DigestViewModel(digest: personal, date: now, timeZone: timeZone, links: links)
            template = DigestMessageTemplate(model: model, shape: personalization, templates: templates)
        }
        return template?.message(
            digest: personal, personalization: personalization,
            messageID: DigestMessageComposer.messageID(list: digest.list, edition: "2026-11-26", subscriberID: Int64(index + 1), token: token),
            date: now, boundary: "=_gazette_" + token, timeZone: timeZone) ?? message(for: index)
    }

    /// Subscriber `index`'s complete message, rendered in full.
    func message(for index: Int) -> Data {
        let (personal, token, links) = personal(index)
        let model = DigestViewModel(digest: personal, date: now, timeZone: timeZone, links: links)
        guard let rendered = try? templates.render(model) else { return Data() }
        let mail = DigestMessageComposer.compose(
            digest: personal, rendered: rendered, subject: model.subject,
            messageID: DigestMessageComposer.messageID(list: digest.list, edition: "2026-11-26", subscriberID: Int64(index + 1), token: token),
            date: now, links: links)
        return MIMEWriter.render(mail, boundary: "=_gazette_" + token, timeZone: timeZone)
    }

    /// A stand-in for the signed subscription token: the same length, different per subscriber.
    static func token(_ index: Int) -> String {
        var random = SeededRandom(seed: UInt64(index) &+ 77)
        return "\(index + 1)." + (0..<43).map { _ in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".randomCharacter(&random) }.map(String.init).joined()
    }

    static func makeDigest(now: Date) -> Digest {
        var random = SeededRandom(seed: 60)
        let sectionNames = ["News > Israel", "News > Middle East", "News > World", "Business", "Opinions", "Culture", "Sports", "Science"]
        let tags = ["Iran", "Gaza", "Turkey", "ISF", "Knesset", "Elections", "Hamas", "Tech", "AI", "Markets", "Football", "Film",
            "Music", "Climate", "Health", "Courts", "Housing", "Education", "כנסת", "בחירות"]
        let latin = "the minister said talks would resume after a pause of several weeks while officials weighed a proposal for a ceasefire and analysts expect markets to react".split(separator: " ")
        let hebrew = "הממשלה אישרה היום את התקציב לאחר דיון ארוך בכנסת שר האוצר אמר כי המשק יצמח בשנה הבאה למרות המלחמה".split(separator: " ")
        func words(_ vocabulary: [Substring], _ count: Int) -> String {
            (0..<count).map { _ in String(vocabulary[random.next(vocabulary.count)]) }.joined(separator: " ")
        }
        var list = SubscriberList(
            name: "daily", title: "Bench Daily", senderName: "Bench Digest", senderAddress: "digest@bench.test")
        list.unsubscribeURLTemplate = "https://bench.test/unsubscribe?token={token}"
        list.preferencesURLTemplate = "https://bench.test/preferences?token={token}"
        let articles = (0..<60).map { index -> Article in
            let isHebrew = index % 4 == 3
            let vocabulary = isHebrew ? hebrew : latin
            let title = words(vocabulary, 6 + random.next(7)).capitalizedFirst
            let articleTags = (0..<(1 + random.next(3))).map { _ in tags[random.nextSkewed(tags.count)] }
            return Article(
                sourceName: "site\(index % 12)", guid: "g\(index)", url: "https://site\(index % 12).bench.test/2026/11/26/story-\(index)/",
                title: title, summary: (words(vocabulary, 25 + random.next(15)) + ".").capitalizedFirst,
                authors: index % 5 == 0 ? [] : ["Author \(index % 7)"], publishedAt: now.addingTimeInterval(-Double(index) * 1_300),
                section: SectionPath(parsing: sectionNames[index < 3 ? 0 : (index - 3) % sectionNames.count]),
                tags: Array(Set(articleTags)).sorted(), firstSeenAt: now.addingTimeInterval(-Double(index) * 1_200),
                language: isHebrew ? "he" : "en",
                imageURL: index % 3 == 0 ? "https://site\(index % 12).bench.test/wp-content/uploads/story-\(index).jpg" : nil,
                imageCaption: index % 3 == 0 ? words(vocabulary, 5) : nil)
        }
        let top = articles.prefix(3).map { DigestEntry(article: $0, sources: [$0.sourceName, "mirror"], importance: 2) }
        let sections = sectionNames.map { name -> DigestSection in
            let path = SectionPath(parsing: name)
            return DigestSection(path: path, entries: articles.dropFirst(3).filter { $0.section == path }.map { DigestEntry(article: $0) })
        }
        let ordered = Array(articles.prefix(3)) + sections.flatMap(\.articles)
        var counts: [String: [String]] = [:]
        for article in ordered { for tag in article.tags { counts[tag, default: []].append(article.url) } }
        let tagIndex = counts.map { TagCount(tag: $0.key, count: $0.value.count, articleURLs: $0.value) }
            .sorted { ($0.count, $1.tag) > ($1.count, $0.tag) }
        return Digest(
            list: list, subscriber: Subscriber(id: 1, email: "reader0@subscribers.bench.test", createdAt: now),
            window: DigestWindow(start: now.addingTimeInterval(-86_400), end: now), topStories: top, sections: sections,
            tagIndex: tagIndex)
    }

    /// The digest as JSON, for the Python peer to render the same content.
    func digestJSON() throws -> Data {
        func article(_ entry: DigestEntry) -> [String: Any] {
            let a = entry.article
            return [
                "title": a.title, "url": a.url, "summary": a.summary, "authors": a.authors,
                "published": a.displayTime.timeIntervalSince1970, "tags": entry.tags, "language": a.language ?? NSNull(),
                "image": a.imageURL ?? NSNull(), "image_alt": a.imageCaption ?? a.title,
                "also_in": entry.alsoIn.map(\.description),
            ]
        }
        let object: [String: Any] = [
            "list": ["name": digest.list.name, "title": digest.list.title, "sender_name": digest.list.senderName,
                "sender_address": digest.list.senderAddress, "unsubscribe": digest.list.unsubscribeURLTemplate ?? "",
                "preferences": digest.list.preferencesURLTemplate ?? ""],
            "now": now.timeIntervalSince1970, "window_start": digest.window.start.timeIntervalSince1970,
            "time_zone": timeZone.identifier,
            "top_stories": digest.topStories.map(article),
            "sections": digest.sections.map { ["title": $0.title, "more": $0.moreCount, "articles": $0.entries.map(article)] },
            "tag_index": digest.tagIndex.map { ["tag": $0.tag, "count": $0.count, "urls": $0.articleURLs] },
            "tokens": (0..<messages).map(Self.token),
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}

extension String {
    fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }

    fileprivate func randomCharacter(_ random: inout SeededRandom) -> Character {
        let characters = Array(self)
        return characters[random.next(characters.count)]
    }
}
