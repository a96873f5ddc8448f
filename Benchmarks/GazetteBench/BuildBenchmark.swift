import DigestBuilding
import Foundation
import GazetteModel

/// The digest-building case: N stored articles, M subscribers with varied preferences, the
/// digests of one daily edition. Inputs come from a seeded generator, so every run and every
/// machine builds the same digests.
struct BuildBenchmark {
    let articleCount: Int
    let subscriberCount: Int
    /// Articles first seen within the digest window (the rest are older, outside it).
    let windowArticles: Int

    struct Result {
        var poolSeconds: Double
        var digestSeconds: Double
        var digestsPerSecond: Double
        var articlesSelected: Int
        var residentMB: Double
    }

    let now = Date(timeIntervalSince1970: 1_795_676_400)

    func run() -> Result {
        var random = SeededRandom(seed: 2026)
        let sections = Self.sections
        let tags = (0..<200).map { "Tag \($0)" }
        // Newest first: the first `windowArticles` fall inside the last day.
        let articles = (0..<articleCount).map { index -> Article in
            let seen = index < windowArticles
                ? now.addingTimeInterval(-Double(index % 86_000) - 60)
                : now.addingTimeInterval(-86_400 - Double(index) * 60)
            let section = sections[random.next(sections.count)]
            let articleTags = (0..<(1 + random.next(4))).map { _ in tags[random.nextSkewed(tags.count)] }
            // Every 25th article repeats an earlier title through another feed: a story to merge.
            let title = index % 25 == 24 ? "Story number \(index - 1) about \(section.leaf ?? "news")" : "Story number \(index) about \(section.leaf ?? "news")"
            return Article(
                sourceName: index % 25 == 24 ? "mirror" : "main", guid: "g\(index)", url: "https://bench.test/\(index)",
                title: title, summary: String(repeating: "Summary words. ", count: 12), authors: ["Staff"],
                publishedAt: seen, section: section, tags: articleTags, firstSeenAt: seen)
        }
        var list = SubscriberList(name: "daily", title: "Bench Daily", senderName: "Bench", senderAddress: "bench@bench.test")
        list.rules.stabilization = 0
        list.rules.maxPerSection = 8
        list.rules.maxArticles = 60
        list.rules.topStories = 3
        let subscriptions = (0..<subscriberCount).map { index -> Subscription in
            var subscription = Subscription(subscriberID: Int64(index + 1), listName: "daily")
            switch index % 10 {
            case 0, 1, 2: break  // the whole list
            case 3, 4, 5, 6:
                subscription.sections = (0..<(1 + random.next(3))).map { _ in sections[random.next(sections.count)].truncated(toDepth: 1 + random.next(2)) }
            default:
                subscription.tags = (0..<(1 + random.next(5))).map { _ in tags[random.nextSkewed(tags.count)] }
            }
            if index % 5 == 0 { subscription.mutedTags = [tags[random.nextSkewed(tags.count)]] }
            if index % 7 == 0 { subscription.mutedSections = [sections[random.next(sections.count)].truncated(toDepth: 1)] }
            return subscription
        }

        let window = DigestWindow(start: now.addingTimeInterval(-86_400), end: now)
        let clock = ContinuousClock()
        let poolStart = clock.now
        // The store hands the builder only the window's articles (an indexed query); the
        // pool is built once and shared by every subscriber with that window.
        let inWindow = articles.filter { window.contains($0.firstSeenAt) }
        let pool = CandidatePool(articles: inWindow, window: window, rules: list.rules, now: now)
        let poolTime = clock.now - poolStart

        let builder = DigestBuilder()
        var selected = 0
        let start = clock.now
        for subscription in subscriptions {
            let subscriber = Subscriber(id: subscription.subscriberID, email: "s\(subscription.subscriberID)@bench.test", createdAt: now)
            let digest = builder.build(pool: pool, list: list, subscriber: subscriber, subscription: subscription)
            selected += digest.articleCount
        }
        let digestTime = clock.now - start
        let seconds = Double(digestTime.components.seconds) + Double(digestTime.components.attoseconds) / 1e18
        return Result(
            poolSeconds: Double(poolTime.components.seconds) + Double(poolTime.components.attoseconds) / 1e18,
            digestSeconds: seconds, digestsPerSecond: Double(subscriberCount) / seconds, articlesSelected: selected,
            residentMB: Memory.peakResidentMB())
    }

    static let sections: [SectionPath] = [
        "News > Israel", "News > Israel > Politics", "News > Israel > Courts", "News > Middle East",
        "News > Middle East > Peace Process", "News > Middle East > Gaza", "News > Middle East > Iran", "News > World",
        "News > World > Europe", "News > World > Americas", "Business", "Business > Tech", "Business > Markets",
        "Opinions", "Opinions > Columnists", "Culture", "Culture > Music", "Culture > Film", "Sports", "Sports > Football",
        "Sports > Basketball", "Jewish World", "Health", "Science", "Lifestyle", "Travel", "Food", "Magazine",
    ].map(SectionPath.init(parsing:))
}

/// A small deterministic generator (SplitMix64): the same inputs on every run.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func nextRaw() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(_ bound: Int) -> Int { Int(nextRaw() % UInt64(bound)) }

    /// Favors small values, as real tag use does (a few tags are everywhere).
    mutating func nextSkewed(_ bound: Int) -> Int { min(next(bound), next(bound)) }
}

enum Memory {
    /// The process's peak resident memory (VmHWM), in MB.
    static func peakResidentMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes / 1024
    }
}
