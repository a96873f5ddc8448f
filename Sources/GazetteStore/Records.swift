import Foundation
import GRDB
import GazetteModel

// One record type per table. They stay internal: the module's API speaks GazetteModel types.

struct SourceRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "source"
    var id: Int64?
    var name: String
    var feedURL: String
    var siteURL: String?
    var etag: String?
    var lastModified: String?
    var lastFetchedAt: Date?
    var lastSuccessAt: Date?
    var lastStatus: Int?
    var lastError: String?
    var consecutiveFailures: Int
    var notModifiedCount: Int
    var movedTo: String?
    var nextFetchAt: Date?

    enum Columns {
        static let name = Column(CodingKeys.name)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct ArticleRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "article"
    var id: Int64?
    var sourceId: Int64
    var guid: String
    var url: String
    var title: String
    var summary: String
    var authors: [String]
    var publishedAt: Date?
    var section: [String]
    var tags: [String]
    var firstSeenAt: Date
    var language: String?
    var imageURL: String?
    var imageCaption: String?
    var held: Bool = false
    /// When the article's own page was read (or given up on); nil while it waits.
    var pageFetchedAt: Date?
    var pageError: String?

    enum Columns {
        static let held = Column(CodingKeys.held)
        static let pageFetchedAt = Column(CodingKeys.pageFetchedAt)
        static let guid = Column(CodingKeys.guid)
        static let url = Column(CodingKeys.url)
        static let firstSeenAt = Column(CodingKeys.firstSeenAt)
        static let sourceId = Column(CodingKeys.sourceId)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    init(_ article: Article, sourceId: Int64) {
        id = article.id
        self.sourceId = sourceId
        guid = article.guid
        url = article.url
        title = article.title
        summary = article.summary
        authors = article.authors
        publishedAt = article.publishedAt
        section = article.section.components
        tags = article.tags
        firstSeenAt = article.firstSeenAt
        language = article.language
        imageURL = article.imageURL
        imageCaption = article.imageCaption
    }

    /// Takes an edited or merged copy of the stored article (same id, guid, URL and first
    /// sighting), keeping what only the store knows: held, and the page's read state.
    mutating func take(_ article: Article) {
        let kept = (held, pageFetchedAt, pageError)
        self = ArticleRecord(article, sourceId: sourceId)
        (held, pageFetchedAt, pageError) = kept
    }

    func article(sourceName: String) -> Article {
        Article(
            id: id, sourceName: sourceName, guid: guid, url: url, title: title, summary: summary, authors: authors,
            publishedAt: publishedAt, section: SectionPath(components: section), tags: tags, firstSeenAt: firstSeenAt,
            language: language, imageURL: imageURL, imageCaption: imageCaption)
    }
}

/// One feed an article came through, and the hash of what that feed last said about it.
struct ArticleFeedRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "articleFeed"
    var articleId: Int64
    var sourceId: Int64
    var contentHash: String
}

struct SubscriberRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "subscriber"
    var id: Int64?
    /// Nil only for a `removed` tombstone.
    var email: String?
    var name: String?
    var status: String
    var createdAt: Date
    var bounceCount: Int = 0
    var statusChangedAt: Date?
    var emailHash: String?

    enum Columns {
        static let email = Column(CodingKeys.email)
        static let status = Column(CodingKeys.status)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    init(_ subscriber: Subscriber) {
        id = subscriber.id
        email = subscriber.email
        name = subscriber.name
        status = subscriber.status.rawValue
        createdAt = subscriber.createdAt
        statusChangedAt = subscriber.statusChangedAt
    }

    var subscriber: Subscriber {
        Subscriber(
            id: id, email: email ?? "", name: name, status: SubscriberStatus(rawValue: status) ?? .paused, createdAt: createdAt,
            statusChangedAt: statusChangedAt)
    }
}

struct SubscriptionRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "subscription"
    var subscriberId: Int64
    var listName: String
    var sections: [[String]]
    var tags: [String]
    var mutedSections: [[String]]
    var mutedTags: [String]
    var createdAt: Date

    enum Columns {
        static let subscriberId = Column(CodingKeys.subscriberId)
        static let listName = Column(CodingKeys.listName)
    }

    init(_ subscription: Subscription, createdAt: Date) {
        subscriberId = subscription.subscriberID
        listName = subscription.listName
        sections = subscription.sections.map(\.components)
        tags = subscription.tags
        mutedSections = subscription.mutedSections.map(\.components)
        mutedTags = subscription.mutedTags
        self.createdAt = createdAt
    }

    var subscription: Subscription {
        Subscription(
            subscriberID: subscriberId, listName: listName, sections: sections.map(SectionPath.init(components:)), tags: tags,
            mutedSections: mutedSections.map(SectionPath.init(components:)), mutedTags: mutedTags)
    }
}

struct DeliveryRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "delivery"
    var id: Int64?
    var subscriberId: Int64
    var listName: String
    var edition: String
    var windowStart: Date
    var windowEnd: Date
    var status: String
    var messageId: String
    var articleCount: Int
    var createdAt: Date
    var sentAt: Date?
    var error: String?
    var permanent: Bool
    var attempts: Int
    var handedOverAt: Date?

    /// SQL for "this digest reached the subscriber": the server's acceptance was committed.
    /// A row handed over by a run that died before the reply is not counted: the server may
    /// have discarded it, so it is still pending and is sent again (ADR 0004).
    static let reachedSubscriberSQL = "(status = 'sent')"

    enum Columns {
        static let subscriberId = Column(CodingKeys.subscriberId)
        static let listName = Column(CodingKeys.listName)
        static let edition = Column(CodingKeys.edition)
        static let status = Column(CodingKeys.status)
        static let windowEnd = Column(CodingKeys.windowEnd)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    init(_ delivery: Delivery) {
        id = delivery.id
        subscriberId = delivery.subscriberID
        listName = delivery.listName
        edition = delivery.edition
        windowStart = delivery.window.start
        windowEnd = delivery.window.end
        status = delivery.status.rawValue
        messageId = delivery.messageID
        articleCount = delivery.articleCount
        createdAt = delivery.createdAt
        sentAt = delivery.sentAt
        error = delivery.error
        permanent = delivery.permanent
        attempts = delivery.attempts
        handedOverAt = delivery.handedOverAt
    }

    var delivery: Delivery {
        Delivery(
            id: id, subscriberID: subscriberId, listName: listName, edition: edition,
            window: DigestWindow(start: windowStart, end: windowEnd), status: DeliveryStatus(rawValue: status) ?? .failed,
            messageID: messageId, articleCount: articleCount, createdAt: createdAt, sentAt: sentAt, error: error,
            permanent: permanent, attempts: attempts, handedOverAt: handedOverAt)
    }
}

/// A list made with `gazette lists add` (lists in the config are not stored).
struct ListRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "list"
    var name: String
    var title: String
    var senderName: String
    var senderAddress: String
    var schedule: String
    var sections: [[String]]
    var tags: [String]
    var mutedSections: [[String]]
    var mutedTags: [String]
    var doubleOptIn: Bool
    var confirmURL: String?
    var createdAt: Date

    init(_ list: SubscriberList, createdAt: Date) {
        name = list.name
        title = list.title
        senderName = list.senderName
        senderAddress = list.senderAddress
        schedule = list.schedule
        sections = list.rules.presetSections.map(\.components)
        tags = list.rules.presetTags
        mutedSections = list.rules.mutedSections.map(\.components)
        mutedTags = list.rules.mutedTags
        doubleOptIn = list.doubleOptIn
        confirmURL = list.confirmURLTemplate
        self.createdAt = createdAt
    }

    /// The list with the default digest rules and this row's presets.
    var list: SubscriberList {
        var rules = DigestRules()
        rules.presetSections = sections.map(SectionPath.init(components:))
        rules.presetTags = tags
        rules.mutedSections = mutedSections.map(SectionPath.init(components:))
        rules.mutedTags = mutedTags
        var list = SubscriberList(
            name: name, title: title, senderName: senderName, senderAddress: senderAddress, schedule: schedule, rules: rules)
        list.doubleOptIn = doubleOptIn
        list.confirmURLTemplate = confirmURL
        return list
    }
}
