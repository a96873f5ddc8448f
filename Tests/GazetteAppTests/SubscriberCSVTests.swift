import GazetteApp
import GazetteModel
import Testing

@Suite struct SubscriberCSVTests {
    @Test func readsQuotedFieldsBOMAndMultiValueColumns() throws {
        let csv = "\u{FEFF}email,name,lists,sections,tags\r\n"
            + "a@sample.test,\"Levi, Omer\",daily,\"News > Middle East;Opinions\",\"Turkey; ISF\"\r\n"
            + "b@sample.test,\"Line\nbreak \"\"quoted\"\"\",,,\r\n"
        let parsed = try SubscriberCSV.parse(csv)
        #expect(parsed.problems.isEmpty)
        #expect(parsed.rows.count == 2)
        #expect(parsed.rows[0].request.name == "Levi, Omer")
        #expect(parsed.rows[0].request.sections == [SectionPath(parsing: "News > Middle East"), SectionPath(parsing: "Opinions")])
        #expect(parsed.rows[0].request.tags == ["Turkey", "ISF"])
        #expect(parsed.rows[1].request.name == "Line break \"quoted\"", "a line break in a name is a space (issue #17)")
        #expect(parsed.rows[1].line == 3)
    }

    @Test func badRowsAreReportedByLineAndTheRestKept() throws {
        let csv = """
            email,name
            good@sample.test,Good
            not-an-address,Bad
            "multi
            line"@x,Worse
            GOOD@sample.test,Duplicate
            extra@sample.test,Too,Many
            fine@sample.test,Fine
            """
        // Rows are checked one by one; the duplicate on line 6 is merged (or refused) by the import.
        let parsed = try SubscriberCSV.parse(csv)
        #expect(parsed.rows.map(\.request.email) == ["good@sample.test", "GOOD@sample.test", "fine@sample.test"])
        #expect(parsed.rows.map(\.line) == [2, 6, 8])
        #expect(parsed.problems.count == 3)
        #expect(parsed.problems[0].hasPrefix("line 3:"))
        #expect(parsed.problems[1].hasPrefix("line 4:"))
        #expect(parsed.problems[2] == "line 7: 3 fields where the header has 2")
    }

    @Test func aHeaderWithoutEmailIsRefused() {
        #expect(throws: AdminError.self) { try SubscriberCSV.parse("name,lists\nx,y\n") }
    }
}
