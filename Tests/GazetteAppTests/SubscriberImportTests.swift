import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Testing

@Suite struct SubscriberImportTests {
    @Test func csvEdgeCasesBOMCRLFEmbeddedNewlinesAndBrokenQuotes() throws {
        let csv = "\u{FEFF}email,name,lists\r\n"
            + "a@sample.test,\"Levi,\r\nOmer\",daily\r\n"  // a quoted CRLF inside a field: lines 2–3
            + "\r\n"  // a blank line is skipped
            + "b@sample.test,\"say \"\"hi\"\"\",\r\n"  // line 5
            + "c@sample.test,\"closed\"then text,daily\r\n"  // line 6: text after the closing quote
            + "d@sample.test,Dana\rlone-cr@sample.test,x,daily\n"  // a lone CR ends a record too: lines 7 and 8
            + "e@sample.test,\"never closed,daily\n"  // line 9 swallows the rest
            + "f@sample.test,F,daily\n"
        let parsed = try SubscriberCSV.parse(csv)
        #expect(parsed.rows.map(\.line) == [2, 5, 8])
        #expect(parsed.rows[2].request.email == "lone-cr@sample.test")
        #expect(parsed.rows[0].request.name == "Levi, Omer")  // line breaks in a name become a space (issue #17)
        #expect(parsed.rows[1].request.name == "say \"hi\"")
        #expect(parsed.problems == [
            "line 6: text after the closing quote of field 2",
            "line 7: 2 fields where the header has 3",
            "line 9: a quoted field starting on this line is never closed (a missing \")",
        ])
    }

    @Test func aFileThatIsNotUTF8OrHasAnUnknownColumnIsReported() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let file = folder.url.appendingPathComponent("latin1.csv")
        try Data("email,name\nz@sample.test,Jos\u{E9}\n".data(using: .isoLatin1)!).write(to: file)
        var reader = try SubscriberCSV.RowReader(try CSVReader(path: file.path), file: "latin1.csv")
        guard case .failure(let problem) = try reader.next() else { Issue.record("a Latin-1 name must be refused"); return }
        #expect(problem.description == "line 2: field 2 is not valid UTF-8; save the file as UTF-8")
        #expect(throws: AdminError.self) { try SubscriberCSV.parse("email,nmae\nx@sample.test,X\n") }
        #expect(throws: AdminError.self) { try SubscriberCSV.parse("") }
    }

    @Test func tenThousandRowsWithTwoHundredBadOnesImportTheGoodOnesInOneGo() throws {
        let fixture = try AdminFixture()
        defer { fixture.folder.remove() }
        var csv = "email,name,lists,sections,tags\r\n"
        var badLines: [Int] = []
        for index in 0..<10_000 {
            let line = index + 2
            if index % 50 == 7 {
                badLines.append(line)
                csv += index % 100 == 7 ? "reader\(index)-at-sample.test,Bad \(index),daily,,\r\n" : "r\(index)@sample.test,Bad,nope,,\r\n"
            } else {
                csv += "r\(index)@sample.test,\"Reader \(index), Esq.\",daily;weekly,News > Israel,Turkey\r\n"
            }
        }
        let file = fixture.folder.url.appendingPathComponent("big.csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        let report = try SubscriberImport(config: fixture.config, options: .init())
            .run(try CSVReader(path: file.path), file: "big.csv", environment: fixture.environment)
        #expect(report.added == 9_800)
        #expect(report.rejected.count == 200)
        #expect(report.rejected.map { Int($0.dropFirst(5).prefix { $0.isNumber }) ?? 0 } == badLines)
        #expect(report.rejected.contains("line 9: 'reader7-at-sample.test' is not an email address (no '@')"))
        #expect(report.rejected.contains("line 59: no list named 'nope' (lists: daily, weekly)"))
        #expect(report.committed)
        #expect(try fixture.environment.database.subscriberCounts(.init()) == [.active: 9_800])
        #expect(try fixture.environment.database.subscriberCounts(.init(listName: "weekly")) == [.active: 9_800])

        // --strict: the same file imports nothing; a dry run writes nothing either.
        let strictFixture = try AdminFixture()
        defer { strictFixture.folder.remove() }
        var strict = SubscriberImport.Options()
        strict.strict = true
        let refused = try SubscriberImport(config: strictFixture.config, options: strict)
            .run(try CSVReader(path: file.path), file: "big.csv", environment: strictFixture.environment)
        #expect(!refused.committed && refused.rejected.count == 200)
        var dry = SubscriberImport.Options()
        dry.dryRun = true
        let dryReport = try SubscriberImport(config: strictFixture.config, options: dry)
            .run(try CSVReader(path: file.path), file: "big.csv", environment: strictFixture.environment)
        #expect(dryReport.added == 9_800 && !dryReport.committed)
        #expect(try strictFixture.environment.database.subscriberCounts(.init()).isEmpty)
    }

    @Test func rowsForOneAddressMergeWithoutRegardToCaseAndContradictionsAreReported() throws {
        let fixture = try AdminFixture()
        defer { fixture.folder.remove() }
        let csv = """
            email,name,lists,tags
            dana@sample.test,Dana,daily,Turkey
            DANA@Sample.test,,weekly,ISF
            dana@SAMPLE.test,Dana,daily,Turkey
            Dana@sample.test,Other Dana,,
            dana@sample.test,,daily,Sports
            """
        let report = try fixture.admin.importCSV(text: csv, defaultList: nil, environment: fixture.environment)
        #expect(report.added == 1)
        #expect(report.merged == 2)
        #expect(report.rejected == [
            "line 5: Dana@sample.test appears on an earlier line with the name 'Dana'",
            "line 6: dana@sample.test appears on an earlier line for 'daily' with other sections or tags",
        ])
        let dana = try #require(try fixture.environment.database.subscriber(email: "dana@sample.test"))
        let memberships = try fixture.environment.database.subscriptions(ofSubscriber: try #require(dana.id))
        #expect(memberships.map(\.listName) == ["daily", "weekly"])
        #expect(memberships.map(\.tags) == [["Turkey"], ["ISF"]])

        // Existing subscribers: left alone, or updated with --update.
        let again = try fixture.admin.importCSV(text: "email,name,lists\ndana@sample.test,Dana Levi,daily\n", defaultList: nil, environment: fixture.environment)
        #expect(again.unchanged == 1)
        var options = SubscriberImport.Options()
        options.update = true
        let updated = try fixture.admin.importCSV(text: "email,name,lists\ndana@sample.test,Dana Levi,daily\n", options: options, environment: fixture.environment)
        #expect(updated.updated == 1)
        #expect(try fixture.environment.database.subscriber(email: "dana@sample.test")?.name == "Dana Levi")
        #expect(try fixture.environment.database.subscriptions(ofSubscriber: try #require(dana.id)).first?.tags == [])
    }

    @Test func exportThenImportIsLossless() throws {
        let fixture = try AdminFixture()
        defer { fixture.folder.remove() }
        let admin = fixture.admin
        let environment = fixture.environment
        try admin.add(NewSubscriber(email: "a@sample.test", name: "Levi, \"Omer\"\nsecond line", lists: ["daily"],
            sections: [SectionPath(parsing: "News > Middle East")], tags: ["Turkey", "ISF"], mutedTags: ["Sports"]), environment: environment)
        try admin.add(NewSubscriber(email: "b+news@xn--bcher-kva.test", name: "נועה ברק"), environment: environment)
        _ = try admin.follow(email: "b+news@xn--bcher-kva.test", topic: .tag("Culture"), follow: true, listName: "weekly", environment: environment)
        try admin.add(NewSubscriber(email: "c@sample.test", lists: ["weekly"], mutedSections: [SectionPath(parsing: "Sport > Football")]), environment: environment)
        _ = try admin.unsubscribe(email: "c@sample.test", listName: nil, environment: environment)
        try admin.add(NewSubscriber(email: "d@sample.test"), environment: environment)
        _ = try admin.pause(email: "d@sample.test", environment: environment)

        var first = ""
        #expect(try admin.export(.init(), environment: environment) { first += $0 } == 4)
        #expect(first.hasPrefix("email,name,lists,sections,tags,mute_sections,mute_tags,status\r\n"))
        #expect(first.contains("b+news@xn--bcher-kva.test,נועה ברק,daily,,,,,active\r\n"))
        #expect(first.contains("b+news@xn--bcher-kva.test,נועה ברק,weekly,,Culture,,,active\r\n"))

        let copy = try AdminFixture()
        defer { copy.folder.remove() }
        let report = try copy.admin.importCSV(text: first, defaultList: nil, environment: copy.environment)
        #expect(report.rejected.isEmpty)
        #expect(report.added == 4 && report.merged == 1)
        var second = ""
        _ = try copy.admin.export(.init(), environment: copy.environment) { second += $0 }
        #expect(second == first)
        #expect(try copy.status("c@sample.test") == .unsubscribed)
    }
}
