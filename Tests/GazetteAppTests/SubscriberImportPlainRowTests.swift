import Foundation
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Testing

@testable import GazetteApp

/// The import's byte-level path for common rows (`SubscriberCSV.PlainRow`, bound straight
/// into SQLite) must do what the `String` path does, row for row: each file below is
/// imported both ways into identical databases and the reports and databases compared.
@Suite struct SubscriberImportPlainRowTests {
    /// Rows of every kind: a BOM, CRLF, quoted newlines and commas, blank lines, an address
    /// in several cases (merged, or contradicting an earlier row), addresses already in the
    /// database in another case, an unsubscribed one, bad rows of each sort, statuses in
    /// capitals, a name that is not ASCII, padded fields and empty list pieces.
    static let tricky =
        "\u{FEFF}email,name,lists,sections,tags,mute_sections,mute_tags,status\r\n"
        + "dana@sample.test,Dana,daily,News > Israel; Opinions,Turkey;;ISF ,,,\r\n"  // 2
        + "DANA@Sample.test,,weekly,,ISF,,,\r\n"  // 3: merges into line 2, adds weekly
        + " omer@sample.test ,\"Levi,\r\nOmer\",,,,,,Paused\r\n"  // 4–5: padded address, default lists
        + "bad-address,X,daily,,,,,\r\n"  // 6
        + "noa@sample.test,Noa,nope,,,,,\r\n"  // 7: unknown list
        + "noa@sample.test,Noa,daily,,,,,zombie\r\n"  // 8: unknown status
        + "\r\n"  // 9: blank
        + "  ,\t,,,,,,\r\n"  // 10: blank but for spaces
        + "yael@sample.test,יעל,daily;weekly,,,,,\r\n"  // 11: not ASCII
        + "existing@SAMPLE.test,New Name,daily,,,,,\r\n"  // 12: there already, as EXISTING@sample.test
        + "gone@sample.test,,daily,,,,,\r\n"  // 13: unsubscribed before
        + "ruth@sample.test,\"Ruth \"\"R\"\"\",daily; weekly ;,,,Sport > Football,,\r\n"  // 14
        + "Ruth@SAMPLE.test,Ruth Other,daily,,,,,\r\n"  // 15: another name
        + "ruth@sample.test,,daily,Culture,,,,\r\n"  // 16: other sections for daily
        + "eve@sample.test,\"closed\"x,daily,,,,,\r\n"  // 17: text after the closing quote
        + "trailing@sample.test,T,daily,,,,,ACTIVE\r\n"  // 18
        + "a..b@sample.test,,daily,,,,,\r\n"  // 19: misplaced dot
        + "few@sample.test,,daily\r\n"  // 20: too few fields
        + "pending@sample.test,P,weekly,,,,,pending\r\n"  // 21
        + "PENDING@sample.test,,daily,,,,,\r\n"  // 22: merges, no status
        + "x@bücher.test,,daily,,,,,\r\n"  // 23: international domain
        + "last@sample.test,\"never closed,daily\r\n"  // 24: swallows the rest
        + "after@sample.test,,daily,,,,,\r\n"

    /// Both paths on the same file and the same database; returns the plain path's report.
    @discardableResult
    static func importBothWays(
        _ csv: String, options: SubscriberImport.Options = .init(), prepare: (AdminFixture) throws -> Void = { _ in }
    ) throws -> SubscriberImport.Report {
        let plain = try AdminFixture()
        defer { plain.folder.remove() }
        let strings = try AdminFixture()
        defer { strings.folder.remove() }
        try prepare(plain)
        try prepare(strings)
        var stringOptions = options
        stringOptions.plainRows = false
        let plainReport = try plain.admin.importCSV(text: csv, options: options, environment: plain.environment)
        let stringReport = try strings.admin.importCSV(text: csv, options: stringOptions, environment: strings.environment)

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        #expect(
            String(decoding: try encoder.encode(plainReport), as: UTF8.self)
                == String(decoding: try encoder.encode(stringReport), as: UTF8.self))
        // Ids in the same order (the order of the file); the `String` path's insert that finds
        // the address there already uses up an id, the queue does not, so their values differ.
        func inIDOrder(_ fixture: AdminFixture) throws -> [Subscriber] {
            try fixture.environment.database.subscribers().sorted { ($0.id ?? 0) < ($1.id ?? 0) }.map { subscriber in
                var subscriber = subscriber
                subscriber.id = nil
                return subscriber
            }
        }
        #expect(try inIDOrder(plain) == inIDOrder(strings))
        var plainExport = ""
        var stringExport = ""
        _ = try plain.admin.export(.init(), environment: plain.environment) { plainExport += $0 }
        _ = try strings.admin.export(.init(), environment: strings.environment) { stringExport += $0 }
        #expect(plainExport == stringExport)
        return plainReport
    }

    /// An existing subscriber whose address differs in case from the file's, and one who unsubscribed.
    static func existingSubscribers(_ fixture: AdminFixture) throws {
        try fixture.admin.add(
            NewSubscriber(email: "EXISTING@sample.test", name: "Old Name", lists: ["weekly"]), environment: fixture.environment)
        try fixture.admin.add(NewSubscriber(email: "gone@sample.test", lists: ["daily"]), environment: fixture.environment)
        _ = try fixture.admin.unsubscribe(email: "gone@sample.test", listName: nil, environment: fixture.environment)
    }

    @Test func aTrickyFileImportsTheSameWayOnBothPaths() throws {
        let report = try Self.importBothWays(Self.tricky)
        #expect(report.added == 9)
        #expect(report.merged == 2)
        #expect(
            report.rejected.map { $0.prefix(while: { $0 != ":" }) } == [
                "line 6", "line 7", "line 8", "line 15", "line 16", "line 17", "line 19", "line 20", "line 24",
            ])
        #expect(report.committed)
    }

    @Test func existingAndUnsubscribedAddressesAreTreatedTheSameWayOnBothPaths() throws {
        let report = try Self.importBothWays(Self.tricky, prepare: Self.existingSubscribers)
        #expect(report.unchanged == 1)
        #expect(
            report.keptUnsubscribed.count == 1
                && report.keptUnsubscribed[0].hasPrefix("line 13: gone@sample.test is unsubscribed"))
        var update = SubscriberImport.Options()
        update.update = true
        #expect(try Self.importBothWays(Self.tricky, options: update, prepare: Self.existingSubscribers).updated == 1)
        var resubscribe = SubscriberImport.Options()
        resubscribe.resubscribe = true
        #expect(try Self.importBothWays(Self.tricky, options: resubscribe, prepare: Self.existingSubscribers).resubscribed == 1)
    }

    @Test func strictDryRunAndADefaultListAreTheSameOnBothPaths() throws {
        var strict = SubscriberImport.Options()
        strict.strict = true
        #expect(try !Self.importBothWays(Self.tricky, options: strict, prepare: Self.existingSubscribers).committed)
        var dryRun = SubscriberImport.Options()
        dryRun.dryRun = true
        #expect(try !Self.importBothWays(Self.tricky, options: dryRun).committed)
        #expect(try Self.importBothWays(Self.tricky, options: .init(defaultList: "weekly")).committed)
    }

    @Test func aRemovedAddressStaysOutOnBothPaths() throws {
        let report = try Self.importBothWays(Self.tricky) { fixture in
            try Self.existingSubscribers(fixture)
            _ = try fixture.admin.remove(email: "gone@sample.test", erase: false, environment: fixture.environment)
        }
        #expect(
            report.keptUnsubscribed.count == 1
                && report.keptUnsubscribed[0].hasPrefix("line 13: gone@sample.test unsubscribed or bounced"))
    }

    @Test func aFileWithoutOptionalColumnsAndWithDuplicateColumnsImportsTheSameWay() throws {
        try Self.importBothWays("email\r\nA@sample.test\r\na@SAMPLE.test\r\nb@sample.test\r\n")
        try Self.importBothWays("Email,NAME,email\na@sample.test,A,ignored\nb@sample.test, ,\n")
        try Self.importBothWays("name,email,status\nA,a@sample.test,\nB,b@sample.test,unsubscribed\nC,c@sample.test, Bounced \n")
    }

    /// `isValidAsIs` is the import's shortcut past `validate`: it may only say yes where
    /// `validate` accepts the address unchanged, and must say yes for ordinary addresses.
    @Test func theByteLevelAddressCheckAgreesWithValidate() {
        let long = String(repeating: "a", count: 63)
        let inputs = [
            "a@b.co", "dana+news@sample.test", "a.b@c.d.e", "A@B.CO", "a!#$%&'*+-/=?^_`{|}~@b.co", "a@b-c.co", "a@b.c0", "a@0.b",
            ".a@b.co", "a.@b.co", "a..b@c.co", "a@b", "a@b.", "a@.b", "a@b..c", "a@-b.co", "a@b-.co", "a@b.123", "a@1.2.3.4",
            " a@b.co", "a@b.co ", "\ta@b.co", "\"a\"@b.co", "a b@c.co", "a@b c.co", "a@@b.co", "a@b@c.co", "@b.co", "a@", "", "@",
            "a@b_c.co", "a(b)@c.co", "a@b.co.", "x@bücher.de", "ü@b.co", "a@b.c\u{0}",
            String(repeating: "a", count: 64) + "@b.co", String(repeating: "a", count: 65) + "@b.co",
            "a@\(long).co", "a@\(long)a.co",
            "a@" + [String](repeating: long, count: 3).joined(separator: ".") + "." + String(repeating: "b", count: 61),
            "a@" + [String](repeating: long, count: 3).joined(separator: ".") + "." + String(repeating: "b", count: 62),
        ]
        for input in inputs {
            let asIs = Array(input.utf8).withUnsafeBufferPointer(EmailAddress.isValidAsIs)
            let accepted = EmailAddress.validate(input) == .success(input) && input.utf8.allSatisfy { $0 < 0x80 }
            #expect(asIs == accepted, "\(input)")
        }
    }

    /// A record's problem is the first found, as when fields were `String`s as they were
    /// read: a field that is not UTF-8 before text after a closing quote, and after it.
    @Test func theFirstProblemOfARecordIsReported() throws {
        var bytes = Array("email,name,lists\n".utf8)
        bytes += Array("a@sample.test,".utf8) + [0xE9] + Array(",\"daily\"x\n".utf8)  // line 2: not UTF-8 first
        bytes += Array("b@sample.test,\"B\"x,".utf8) + [0xE9] + Array("\n".utf8)  // line 3: text after the quote first
        var reader = CSVReader(data: Data(bytes))
        _ = try reader.next()
        #expect(try reader.next()?.problem == "field 2 is not valid UTF-8; save the file as UTF-8")
        #expect(try reader.next()?.problem == "text after the closing quote of field 2")
        #expect(try reader.next() == nil)
    }
    /// A file is read 1 MB at a time, and runs of ordinary bytes are copied at once: records
    /// that straddle the reads (quoted line breaks, doubled quotes, CRLF split in two) read the
    /// same from the file as from the same text in memory.
    @Test func aFileLongerThanOneReadGivesTheRecordsOfTheSameTextInMemory() throws {
        var text = "\u{FEFF}email,name,lists\r\n"
        var index = 0
        while text.utf8.count < 2_500_000 {
            switch index % 5 {
            case 0: text += "a\(index)@x.test,\"multi\r\nline \"\"\(index)\"\"\",daily\r\n"
            case 1: text += "a\(index)@x.test,\"closed\"after,daily\n"
            case 2: text += "a\(index)@x.test,Name \(index),\r"
            default: text += "a\(index)@x.test,Name \(index),daily;weekly\r\n"
            }
            index += 1
        }
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let file = folder.url.appendingPathComponent("long.csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        var fromFile = try CSVReader(path: file.path)
        var inMemory = CSVReader(text: text)
        var records = 0
        while let record = try inMemory.next() {
            #expect(try fromFile.next() == record)
            records += 1
        }
        #expect(try fromFile.next() == nil)
        #expect(records == index + 1)
    }
}
