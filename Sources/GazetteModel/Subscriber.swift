import Foundation

/// Where a subscriber stands; only `active` subscribers are mailed.
///
/// `unsubscribed` and `bounced` are sticky: no import, `add` or `resume` makes such an
/// address active again; only an explicit `--resubscribe` (or `subscribers resubscribe`) does.
public enum SubscriberStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case active
    case paused
    case unsubscribed
    case bounced
    /// Waiting for a double opt-in confirmation.
    case pending

    /// True for the statuses only an explicit resubscribe may leave.
    public var isSticky: Bool { self == .unsubscribed || self == .bounced }
}

/// A person who receives digests.
public struct Subscriber: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64?
    /// The address as the subscriber gave it; unique without regard to case.
    public var email: String
    public var name: String?
    public var status: SubscriberStatus
    public var createdAt: Date
    /// When `status` last changed (nil: not since the subscriber was added).
    public var statusChangedAt: Date?

    public init(
        id: Int64? = nil, email: String, name: String? = nil, status: SubscriberStatus = .active, createdAt: Date,
        statusChangedAt: Date? = nil
    ) {
        self.id = id
        self.email = email
        self.name = name
        self.status = status
        self.createdAt = createdAt
        self.statusChangedAt = statusChangedAt
    }
}

/// A subscriber's membership of one list, with what they follow and mute in it.
///
/// Empty `sections` and `tags` mean the list's preset (by default the whole list).
/// Otherwise an article is included when it sits in a followed section (or a subsection of
/// one) or carries a followed tag, unless a muted section or tag says otherwise: mutes win.
public struct Subscription: Sendable, Hashable, Codable {
    public var subscriberID: Int64
    public var listName: String
    public var sections: [SectionPath]
    public var tags: [String]
    public var mutedSections: [SectionPath]
    public var mutedTags: [String]

    public init(
        subscriberID: Int64, listName: String, sections: [SectionPath] = [], tags: [String] = [],
        mutedSections: [SectionPath] = [], mutedTags: [String] = []
    ) {
        self.subscriberID = subscriberID
        self.listName = listName
        self.sections = sections
        self.tags = tags
        self.mutedSections = mutedSections
        self.mutedTags = mutedTags
    }

    /// True when the subscriber takes every article of the list.
    public var followsWholeList: Bool { sections.isEmpty && tags.isEmpty }
}
