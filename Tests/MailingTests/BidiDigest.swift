import Foundation
import GazetteModel
import GazetteTestSupport
import Mailing

/// A digest in two scripts for the rendering tests and the README's screenshots: English
/// stories, Hebrew ones (tagged `he` by their feed) and a mixed headline with no language,
/// whose direction comes from its letters. Images point at a closed loopback port, so they
/// show as a mail client with images off draws them: their alt text.
enum BidiDigest {
    static let now = Date(timeIntervalSince1970: 1_795_676_400)  // 2026-11-26 07:00 UTC
    static let zone = TimeZone(identifier: "Asia/Jerusalem") ?? .gmt
    static let hebrewTitle = "הכנסת אישרה את התקציב בקריאה ראשונה"
    static let mixedTitle = "שלב ב׳ – Cairo talks resume"
    static let englishTitle = "Turkey pushes for role in Gaza force despite Israeli veto"

    static func digest() -> Digest {
        func article(
            _ title: String, _ slug: String, section: String, tags: [String], hours: Double, summary: String,
            authors: [String], language: String? = nil, image: String? = nil
        ) -> Article {
            var article = Article.fixture(
                title, url: "https://sample.israelhayom.test/2026/11/\(slug)/", section: section, tags: tags,
                publishedAt: now - hours * 3600, firstSeenAt: now - 3600)
            article.summary = summary
            article.authors = authors
            article.language = language
            if let image {
                article.imageURL = "http://127.0.0.1:9/\(slug).jpg"
                article.imageCaption = image
            }
            return article
        }
        let turkey = article(
            englishTitle, "turkey-gaza-force", section: "News > Middle East",
            tags: ["Turkey", "ISF", "international stabilization force"],
            hours: 5,
            summary: "Ankara lobbies Washington for a place in the international stabilization force; Jerusalem says no.",
            authors: ["Ariel Kahana"], language: "en", image: "Turkish and Israeli flags outside the embassy (Photo: Reuters)")
        let budget = article(
            hebrewTitle, "budget-first-reading", section: "News > Israel", tags: ["כנסת", "תקציב"], hours: 3,
            summary: "המליאה אישרה את הצעת התקציב ברוב של 62 חברי כנסת; ההצבעה השנייה צפויה בשבוע הבא.",
            authors: ["נועה ברק"], language: "he", image: "מליאת הכנסת בזמן ההצבעה (צילום: רויטרס)")
        let cairo = article(
            mixedTitle, "cairo-talks", section: "News > Middle East", tags: ["Gaza Strip", "מצרים"], hours: 2,
            summary: "המשלחות חזרו לקהיר לדון בשלב השני של העסקה, כך נמסר הערב ממקורות ב-Cairo.",
            authors: ["נועה ברק", "Omer Levi"])
        let culture = article(
            "Jerusalem film festival opens with a record 200 screenings", "film-festival", section: "Culture",
            tags: ["Film", "ירושלים"], hours: 7,
            summary: "Ten days of films in the Cinematheque and in open-air screens across the city.",
            authors: ["Dana Cohen"], language: "en")
        let opinion = article(
            "מה השתנה בשוק הדיור", "housing", section: "Opinions", tags: ["דיור"], hours: 9,
            summary: "מחירי הדירות ירדו בפעם הראשונה מזה שנתיים, אבל השכירות ממשיכה לעלות.", authors: ["יוסי לוי"], language: "he"
        )
        return Digest(
            list: SubscriberList(
                name: "daily", title: "Israel Hayom Daily", senderName: "Israel Hayom Digest",
                senderAddress: "digest@sample.israelhayom.test"),
            subscriber: Subscriber(id: 7, email: "reader@gazette.test", name: "Noa", createdAt: now),
            window: DigestWindow(start: now - 86_400, end: now),
            topStories: [DigestEntry(article: turkey, importance: 1)],
            sections: [
                DigestSection(path: SectionPath(parsing: "News > Middle East"), articles: [cairo]),
                DigestSection(path: SectionPath(parsing: "News > Israel"), entries: [DigestEntry(article: budget)], moreCount: 3),
                DigestSection(path: SectionPath(parsing: "Culture"), articles: [culture]),
                DigestSection(path: SectionPath(parsing: "דעות"), articles: [opinion]),
            ],
            tagIndex: [
                TagCount(tag: "Gaza Strip", count: 2, articleURLs: [turkey.url, cairo.url]),
                TagCount(tag: "כנסת", count: 1, articleURLs: [budget.url]),
                TagCount(tag: "Turkey", count: 1, articleURLs: [turkey.url]),
                TagCount(tag: "מצרים", count: 1, articleURLs: [cairo.url]),
                TagCount(tag: "Film", count: 1, articleURLs: [culture.url]),
            ])
    }

    /// The golden digest's links: https unsubscribe and a preferences page.
    static let links = GoldenDigestTests.links

    static func model(links: DigestLinks = links) -> DigestViewModel {
        DigestViewModel(digest: digest(), date: now, timeZone: zone, links: links)
    }
}
