import DigestBuilding
import FeedFetching
import Foundation
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Testing

@testable import GazetteApp
@testable import Mailing

/// The size budget's level search (`DigestDelivery.LevelSearch`) finds the lowest level that
/// measures within the budget wherever it starts, and the chrome model (`ChromeModel`) only
/// chooses where: a run that guesses trims every digest as `gazette preview` does.
@Suite struct LevelSearchTests {
    typealias Level = DigestTrimmer.Level

    /// Sizes whose forecasts from the sums are off by up to `error` bytes, like a template that
    /// puts a summary on a line with something else.
    struct Truth {
        var chrome: Int
        var sums: [Level: EncodedSize]
        var error: [Level: Int]

        func size(_ level: Level) -> EncodedSize {
            let bytes = chrome + sums[level]!.quotedPrintable + error[level]!
            return EncodedSize(quotedPrintable: bytes, base64: bytes * 2)  // quoted-printable is smaller
        }
    }

    static func sums(_ values: [Int]) -> [Level: EncodedSize] {
        Dictionary(uniqueKeysWithValues: zip(Level.allCases, values.map { EncodedSize(quotedPrintable: $0, base64: $0 * 2) }))
    }

    @Test func theLevelFoundDoesNotDependOnWhereTheSearchStarts() {
        let sums = Self.sums([90_000, 78_000, 70_000, 52_000])
        let search = { (budget: Int) in DigestDelivery.LevelSearch(sums: sums, budget: budget, entries: 40) }
        // Forecasts between any two levels stay within the search's margin (64 + 8 bytes an
        // entry: 384 here), as the entries' costs keep them.
        for errors in [[0, 0, 0, 0], [180, -150, 90, -40], [-150, 180, -120, 160]] {
            let truth = Truth(chrome: 15_000, sums: sums, error: Dictionary(uniqueKeysWithValues: zip(Level.allCases, errors)))
            for budget in stride(from: 60_000, through: 110_000, by: 250) {
                let expected = Level.allCases.first { truth.size($0).bytes <= budget } ?? .noImages
                for start in Level.allCases {
                    var measured: [Level] = []
                    let outcome = search(budget).run(from: start) { level in
                        measured.append(level)
                        return truth.size(level)
                    }
                    let (level, size) = (outcome.level, outcome.size)
                    #expect(level == expected, "budget \(budget), start \(start), errors \(errors)")
                    #expect(size == truth.size(level))
                    #expect(Set(measured).count == measured.count, "a level measured twice")
                    // Starting where the answer is, with every lower level clearly over, takes one rendering.
                    let clearlyOver = Level.allCases.filter { $0 < expected }.allSatisfy {
                        truth.size($0).bytes > budget + search(budget).margin + 600
                    }
                    if start == expected, clearlyOver, truth.size(expected).bytes <= budget {
                        #expect(measured == [start], "budget \(budget): \(measured)")
                    }
                }
            }
        }
    }

    @Test func aForecastFarOverTheBudgetIsNotMeasured() {
        let sums = Self.sums([120_000, 100_000, 60_000, 40_000])
        let truth = Truth(chrome: 10_000, sums: sums, error: Dictionary(uniqueKeysWithValues: Level.allCases.map { ($0, 0) }))
        var measured: [Level] = []
        let outcome = DigestDelivery.LevelSearch(sums: sums, budget: 80_000, entries: 50).run(from: .full) { level in
            measured.append(level)
            return truth.size(level)
        }
        #expect(outcome.level == .noSummaries)
        #expect(outcome.entries == sums[.noSummaries])
        #expect(measured == [.full, .noSummaries])  // shortSummaries is foretold 30 kB over
    }

    /// Digests with `sections` sections (each with one entry) and `tags` tags.
    static func digest(sections: Int, tags: Int, title: String = "Headline") -> Digest {
        let now = Date(timeIntervalSince1970: 1_795_676_400)
        let parts = (0..<sections).map { index in
            DigestSection(
                path: SectionPath(parsing: "News > Section \(index)"),
                entries: [DigestEntry(article: .fixture("\(title) \(index)", section: "News > Section \(index)", firstSeenAt: now))])
        }
        let tagIndex = (0..<tags).map { TagCount(tag: "tag\($0)", count: 1, articleURLs: []) }
        return Digest(
            list: .fixture(), subscriber: Subscriber(email: "r@sample.test", createdAt: now),
            window: DigestWindow(start: now - 86_400, end: now), sections: parts, tagIndex: tagIndex)
    }

    @Test func theChromeModelLearnsAndKeepsQuietWhenUnsure() throws {
        var model = DigestDelivery.ChromeModel()
        // Chrome that grows by 900 bytes a section and 150 a tag, on 6,000.
        let truth = { (sections: Int, tags: Int) in Double(6_000 + 900 * sections + 150 * tags) }
        #expect(model.chrome(of: Self.digest(sections: 3, tags: 2)) == nil)
        for index in 0..<DigestDelivery.ChromeModel.warmUp + 8 {
            let (sections, tags) = (1 + index % 7, index % 9)
            model.observe(Self.digest(sections: sections, tags: tags), chrome: truth(sections, tags))
        }
        let probe = Self.digest(sections: 5, tags: 4)
        let guess = try #require(model.chrome(of: probe))
        #expect(abs(guess - truth(5, 4)) < 50)
        // Entries' sums per level; the chrome is 11,100 bytes.
        let sums = Self.sums([100_000, 60_000, 50_000, 30_000])
        #expect(model.start(for: probe, sums: sums, budget: 80_000) == .shortSummaries)
        #expect(model.start(for: probe, sums: sums, budget: 71_200) == nil)  // shortSummaries' guess is 100 bytes off it
        #expect(model.start(for: probe, sums: sums, budget: 200_000) == .full)
        #expect(model.start(for: probe, sums: sums, budget: 20_000) == nil)  // nothing fits: articles must go
    }

    /// Dozens of distinct digests over a small budget, so that after its warm-up the run's
    /// searches start from the chrome model's guesses (7 of these 45, when instrumented):
    /// every message is still byte for byte what preview renders, which never guesses.
    @Test func aRunThatGuessesTrimsEveryDigestAsPreviewDoes() async throws {
        let folder = try TemporaryDirectory("gazette-levels")
        defer { folder.remove() }
        try TestConfig.write(
            in: folder.url, top: ["database = \"gazette.sqlite\"", "timezone = \"Asia/Jerusalem\""],
            list: ["html_budget_kb = 30", "preferences_url = \"https://news.sample.test/preferences?token={token}\""])
        let config = try ConfigLoader.load(path: folder.path("gazette.toml"))
        let recorder = PreviewFidelityTests.RecordingTransport()
        let environment = try PreviewFidelityTests.fixedEnvironment(config, recorder: recorder)
        _ = try await SourceFetch().run(config.sources, environment: environment)
        let articles = try environment.database.articles(firstSeenIn: DigestWindow(start: .distantPast, end: .distantFuture))
        let sections = Array(Set(articles.map(\.section))).sorted { $0.description < $1.description }
        let tags = Array(Set(articles.flatMap(\.tags))).sorted()
        try #require(sections.count >= 6 && tags.count >= 4)
        // Readers of one to three sections and maybe a tag: each a digest of their own.
        var emails: [String] = []
        for first in sections.indices {
            for second in sections.indices where second > first {
                let email = "r\(emails.count)@sample.test"
                var followed = [sections[first], sections[second]]
                if emails.count % 3 == 0 { followed.append(sections[(second + 1) % sections.count]) }
                try SubscriberAdmin(config: config).add(
                    NewSubscriber(email: email, sections: followed, tags: emails.count % 2 == 0 ? [tags[emails.count % tags.count]] : []),
                    environment: environment)
                emails.append(email)
            }
        }
        try #require(emails.count >= 30)
        var previews: [String: Data] = [:]
        for email in emails {
            previews[email] = try Preview(config: config).run(listName: "daily", email: email, environment: environment).eml
        }
        let report = try await DailyRun(config: config, fetchFirst: false).run(environment: environment)
        #expect(report.sent == emails.count)
        let sent = await recorder.messages
        #expect(Set(sent.map(\.data)).count > 20, "the readers should get different digests")
        for email in emails {
            let message = try #require(sent.first { $0.recipient == email })
            #expect(message.data == previews[email], "preview and send differ for \(email)")
            #expect(SharedRenderingTests.htmlPartAsSent(message.data).count <= 30_000, "\(email)")
        }
    }
}
