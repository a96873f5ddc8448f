import Foundation
import Mailing
import Testing

@testable import GazetteCLI

/// `gazette sources` on a narrow terminal: the table is laid out to fit, not cut off.
@Suite struct TableLayoutTests {
    let header = ["SOURCE", "STATE", "LAST ERROR"]
    let rows = [
        [
            "israel-hayom-middle-east-peace-process", "failing",
            "HTTP 503 from https://www.israelhayom.test/feed/ after 3 tries; the server said Service Unavailable",
        ],
        ["ynet", "ok", ""],
    ]

    @Test func aTableThatFitsIsAlignedAsBefore() {
        let table = Table.render(header: header, rows: rows.map { [$0[0], $0[1], "x"] }, width: 200, shrinkable: [0])
        #expect(table.split(separator: "\n").map { (line: Substring) in line.count } == [59, 50, 50])
        #expect(table.hasPrefix("SOURCE" + String(repeating: " ", count: 34) + "STATE    LAST ERROR"))
    }

    @Test(arguments: [40, 60, 80, 100])
    func everyLineFitsTheWidthAndTheErrorIsKeptWhole(_ width: Int) {
        let table = Table.render(header: header, rows: rows, width: width, shrinkable: [0])
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= width }, "\(lines)")
        // The error's words all appear, in order, over its wrapped lines.
        let errorColumn = lines[0].range(of: "LAST ERROR")!.lowerBound.utf16Offset(in: lines[0])
        let wrapped = lines.dropFirst().prefix { !$0.hasPrefix("ynet") }
            .map { String($0.dropFirst(errorColumn)) }.joined(separator: " ")
        #expect(wrapped.split(separator: " ").joined() == rows[0][2].split(separator: " ").joined())
        #expect(lines.contains { $0.hasPrefix("ynet") && $0.hasSuffix("ok") })
    }

    @Test func aLongNameIsCutOnlyWhenTheErrorWouldGetTooLittleRoom() {
        let wide = Table.render(header: header, rows: rows, width: 100, shrinkable: [0])
        #expect(wide.contains("israel-hayom-middle-east-peace-process"), "room enough: the name is whole")
        let narrow = Table.render(header: header, rows: rows, width: 50, shrinkable: [0])
        #expect(!narrow.contains("israel-hayom-middle-east-peace-process"))
        #expect(narrow.contains("…"))
        #expect(narrow.split(separator: "\n").allSatisfy { DisplayWidth.of($0) <= 50 })
    }

    @Test func wideAndRightToLeftCellsAreMeasuredInColumns() {
        let table = Table.render(header: ["NAME", "NOTE"], rows: [["ישראל היום", "a"], ["東京新聞", "b"]], width: 80)
        let lines = table.split(separator: "\n").map(String.init)
        // The last cells start in the same column however wide the names are drawn.
        #expect(DisplayWidth.of(lines[1]) - 1 == DisplayWidth.of(lines[0]) - 4, "\(lines)")
        #expect(DisplayWidth.of(lines[2]) - 1 == DisplayWidth.of(lines[0]) - 4, "\(lines)")
    }
}
