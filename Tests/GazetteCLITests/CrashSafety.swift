import Foundation

/// Reading a killed run's database from outside, for the crash tests.
enum CrashSafety {
    static func count(_ sql: String, in path: String) throws -> Int {
        Int(try sqlite(sql, path)) ?? -1
    }

    /// Runs one query with Python's sqlite3 module: an independent reader of the file.
    static func sqlite(_ sql: String, _ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])", path, sql,
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
