import FeedFetching
import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Mailing
import Testing

/// Issue #17 below the command line: bounded subscriber fields, files written whole or not at
/// all, and feed dates from the future.
@Suite struct CarelessInputTests {
    // MARK: - Bounded and cleaned subscriber fields

    @Test func aNameOverTwoHundredCharactersIsRefusedNotCut() throws {
        let request = NewSubscriber(email: "a@b.test", name: String(repeating: "n", count: 201))
        guard case .failure(let problem) = SubscriberFields.checked(request) else {
            Issue.record("a 201-character name was accepted")
            return
        }
        #expect(problem.reason == "the name has 201 characters; at most 200 are kept")
        let fits = try SubscriberFields.checked(NewSubscriber(email: "a@b.test", name: String(repeating: "n", count: 200))).get()
        #expect(fits.name?.count == 200)
    }

    @Test func sectionsAndTagsAreBoundedInLengthAndCount() {
        let longTag = NewSubscriber(email: "a@b.test", tags: [String(repeating: "t", count: 101)])
        let manyTags = NewSubscriber(email: "a@b.test", tags: (1...51).map { "t\($0)" })
        let longSection = NewSubscriber(email: "a@b.test", sections: [SectionPath(parsing: String(repeating: "s", count: 101))])
        let manyMutes = NewSubscriber(email: "a@b.test", mutedSections: (1...51).map { SectionPath(parsing: "S\($0)") })
        for request in [longTag, manyTags, longSection, manyMutes] {
            guard case .failure = SubscriberFields.checked(request) else {
                Issue.record("accepted: \(request)")
                continue
            }
        }
        #expect((try? SubscriberFields.checked(NewSubscriber(email: "a@b.test", tags: (1...50).map { "t\($0)" })).get()) != nil)
    }

    @Test func controlCharactersAndBidiOverridesAreRemovedFromNamesAndTopics() throws {
        let request = NewSubscriber(
            email: "a@b.test", name: "Eve\u{1B}[2J\u{1B}[31m\u{0}\u{202E}gnp.exe",
            sections: [SectionPath(parsing: "News\r\n > Mid\u{85}east")], tags: ["Tur\u{7}key"])
        let cleaned = try SubscriberFields.checked(request).get()
        #expect(cleaned.name == "Eve[2J[31mgnp.exe")
        #expect(cleaned.sections.map(\.description) == ["News > Mid east"], "U+0085 is a line end: a space")
        #expect(cleaned.tags == ["Turkey"])
    }

    @Test func aFollowedTopicIsBoundedAndCleanedToo() throws {
        #expect(throws: SubscriberFields.FieldProblem.self) { try SubscriberAdmin.Topic(parsing: "#" + String(repeating: "t", count: 101)) }
        #expect(try SubscriberAdmin.Topic(parsing: "#Tur\u{1B}[2Jkey") == .tag("Tur[2Jkey"))
        #expect(try SubscriberAdmin.Topic(parsing: "News > Isr\u{202E}ael") == .section(SectionPath(parsing: "News > Israel")))
    }

    @Test func aListTitleOverItsBoundIsRefused() {
        #expect(throws: SubscriberFields.FieldProblem.self) { try SubscriberFields.listTitle(String(repeating: "T", count: 201)) }
        #expect((try? SubscriberFields.listTitle("Morning\r\nBcc: x")) == "Morning Bcc: x")
    }

    @Test func anImportRejectsTheOversizedRowAndKeepsTheOthers() throws {
        let fixture = try AdminFixture()
        defer { fixture.folder.remove() }
        let huge = String(repeating: "x", count: 5_000_000)
        let text =
            "email,name,tags\nok@b.test,Ok,\nbig@b.test,\(huge),\nmany@b.test,M,\((1...51).map { "t\($0)" }.joined(separator: ";"))\n"
        let report = try fixture.admin.importCSV(text: text, defaultList: nil, environment: fixture.environment)
        #expect(report.added == 1)
        #expect(
            report.rejected == [
                "line 3: the name has 5000000 characters; at most 200 are kept",
                "line 4: tags names 51 entries; at most 50 are kept",
            ])
        #expect(try fixture.environment.database.subscriber(email: "big@b.test") == nil)
        #expect(throws: AdminError.fieldTooLong("the name has 201 characters; at most 200 are kept")) {
            try fixture.admin.add(
                NewSubscriber(email: "long@b.test", name: String(repeating: "n", count: 201)), environment: fixture.environment)
        }
    }

    // MARK: - Files written whole, never over a folder

    @Test func anOutputFileRefusesAFolderAndLeavesItAsItWas() throws {
        let folder = try TemporaryDirectory("gazette-output")
        defer { folder.remove() }
        let victim = folder.url.appendingPathComponent("victim")
        try FileManager.default.createDirectory(at: victim, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: victim.appendingPathComponent("inside.txt"))
        #expect(throws: OutputFileError.isFolder(path: victim.path)) {
            try OutputFile(path: victim.path, force: true).write(Data("csv".utf8))
        }
        #expect(try String(contentsOf: victim.appendingPathComponent("inside.txt"), encoding: .utf8) == "keep me")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["victim"])
    }

    @Test func anExistingFileIsReplacedOnlyWithForceAndAFailedWriteLeavesTheOldOne() throws {
        let folder = try TemporaryDirectory("gazette-output")
        defer { folder.remove() }
        let path = folder.path("out.csv")
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: OutputFileError.exists(path: path)) { try OutputFile(path: path).write(Data("new".utf8)) }
        struct Interrupted: Error {}
        #expect(throws: Interrupted.self) {
            try OutputFile(path: path, force: true).write { handle in
                try handle.write(contentsOf: Data("half".utf8))
                throw Interrupted()
            }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        try OutputFile(path: path, force: true, mode: 0o600).write(Data("new".utf8))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        #expect(FileMode.of(path: path)?.bits == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["out.csv"], "no temporary file left")
    }

    // MARK: - Dates from the future

    @Test func itemsDatedMoreThanADayAheadAreDatedWhenFirstSeenWithOneWarning() async throws {
        let folder = try TemporaryDirectory("gazette-future")
        defer { folder.remove() }
        let now = Date(timeIntervalSince1970: 1_795_676_400)
        func item(_ id: Int, _ date: Date) -> String {
            "<item><title>Item \(id)</title><link>https://site.test/\(id)</link><guid>\(id)</guid><dc:date>\(date.formatted(.iso8601))</dc:date></item>"
        }
        let feed = """
            <?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title><link>https://site.test/</link>
            \(item(1, now.addingTimeInterval(3 * 86400)))\(item(2, now.addingTimeInterval(2 * 86400)))\(item(3, now.addingTimeInterval(3600)))\(item(4, now.addingTimeInterval(-3600)))
            </channel></rss>
            """
        try Data(feed.utf8).write(to: folder.url.appendingPathComponent("feed.xml"))
        let server = try LoopbackHTTPServer(serving: folder.url)
        let environment = AppEnvironment(
            database: try AppDatabase.open(path: folder.path("gazette.sqlite")), http: CurlHTTPClient(),
            transport: MaildirTransport(directory: folder.url.appendingPathComponent("outbox")),
            templates: try DigestTemplates.load(),
            now: { now })
        var fetch = SourceFetch()
        fetch.settings.hostGap = .zero
        let results = try await fetch.run(
            [Source(name: "ahead", feedURL: server.url("feed.xml"), backfill: 100)], environment: environment)
        #expect(results.first?.warnings.filter { $0.contains("more than a day ahead") }.count == 1)
        #expect(results.first?.warnings.contains { $0.hasPrefix("2 items are dated more than a day ahead") } == true)
        let stored = try environment.database.articles(
            firstSeenIn: DigestWindow(start: now.addingTimeInterval(-1), end: now.addingTimeInterval(1)))
        let dates = Dictionary(uniqueKeysWithValues: stored.map { ($0.guid, $0.publishedAt) })
        #expect(dates["1"] == now)
        #expect(dates["2"] == now)
        #expect(dates["3"] == now.addingTimeInterval(3600), "within a day: kept as the site says")
        #expect(dates["4"] == now.addingTimeInterval(-3600))
    }
}
