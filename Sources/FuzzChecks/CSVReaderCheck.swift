import Foundation
import GazetteApp
import GazetteModel

/// `CSVReader` and `SubscriberCSV.RowReader` (what `gazette subscribers import` streams a
/// file through) on any bytes: never a crash or a thrown error for in-memory input; record
/// lines that start at 1 and only grow; at least one field per record; every clean record
/// written back with `CSVWriter` reads as the same fields; every imported row has an
/// address `EmailAddress.validate` accepts unchanged.
public enum CSVReaderCheck: FuzzCheck {
    public static let name = "CSVReader"

    public static func violations(_ data: Data) -> [String] {
        var problems: [String] = []
        var reader = CSVReader(data: data)
        var previousLine = 0
        var records = 0
        do {
            while let record = try reader.next() {
                records += 1
                if record.line <= previousLine {
                    problems.append("record \(records) starts on line \(record.line), after a record on line \(previousLine)")
                }
                previousLine = record.line
                if record.fields.isEmpty { problems.append("record \(records) has no fields") }
                guard record.problem == nil else { continue }
                // After a first line, as in an export: a leading byte-order mark is the file's,
                // so a field starting with U+FEFF cannot round-trip at the very start (the first
                // report from this check was that false alarm).
                var again = CSVReader(text: "x\r\n" + CSVWriter.line(record.fields))
                _ = try again.next()
                let reread = try again.next()
                let extra = try again.next()
                if reread?.fields != record.fields || reread?.problem != nil || extra != nil {
                    problems.append(
                        "record \(records) \(record.fields.map(TextChecks.excerpt)) reads back as \(reread?.fields.map(TextChecks.excerpt) ?? [])"
                    )
                }
                if records > data.count + 1 {
                    problems.append("more records than bytes")
                    break
                }
            }
        } catch {
            problems.append("reading from memory threw: \(error)")
        }

        do {
            var rows = try SubscriberCSV.RowReader(CSVReader(data: data), file: "fuzz.csv")
            var previousRowLine = 0
            while let next = try rows.next() {
                let line: Int
                switch next {
                case .success(let row):
                    line = row.line
                    if case .success(let email) = EmailAddress.validate(row.request.email), email == row.request.email {
                    } else {
                        problems.append(
                            "line \(row.line): imported address \(TextChecks.excerpt(row.request.email)) does not validate as itself"
                        )
                    }
                case .failure(let problem):
                    line = problem.line
                    if problem.reason.isEmpty { problems.append("line \(line): a problem without a reason") }
                }
                if line <= previousRowLine { problems.append("row on line \(line) after a row on line \(previousRowLine)") }
                previousRowLine = line
            }
        } catch let error as AdminError {
            if error.description.isEmpty { problems.append("an import error with an empty description") }
        } catch {
            problems.append("the import threw something other than AdminError: \(error)")
        }
        return problems
    }
}
