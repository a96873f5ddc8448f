import Foundation
import GazetteModel

/// Feed dates more than a day ahead of Gazette's clock, set back to when the item was first
/// seen. A wrong clock or time zone on the site, or an item dated ahead on purpose, would
/// otherwise put it at the top of every digest and print a date that has not come yet.
/// A day of slack keeps the honest cases (a time zone off by hours) as the site says.
enum FutureDates {
    static let slack: TimeInterval = 24 * 3600

    /// The articles with such dates replaced, and one warning for the source when any were.
    static func clamp(_ articles: [Article], seenAt: Date) -> (articles: [Article], warning: String?) {
        var clamped = 0
        var furthest: Date?
        let fixed = articles.map { article -> Article in
            guard let published = article.publishedAt, published > seenAt.addingTimeInterval(slack) else { return article }
            clamped += 1
            furthest = max(furthest ?? published, published)
            var fixed = article
            fixed.publishedAt = article.firstSeenAt
            return fixed
        }
        guard clamped > 0, let furthest else { return (articles, nil) }
        return (
            fixed,
            "\(clamped) item\(clamped == 1 ? " is" : "s are") dated more than a day ahead (up to \(furthest.formatted(.iso8601))); "
                + "dated when first seen instead"
        )
    }
}
