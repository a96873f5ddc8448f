import Foundation

/// What Python's standard MIME parser (email.policy.default) reads from an .eml file, via
/// Tests/Tools/check_eml.py: an independent check that Gazette's messages are valid MIME.
public struct ParsedEmail: Decodable, Sendable {
    public struct Part: Decodable, Sendable {
        public var type: String
        public var charset: String?
        public var encoding: String?
        public var body: String
    }

    public var path: String
    public var type: String
    public var headers: [String: String]
    public var parts: [Part]
    public var defects: [String]
    /// The longest raw line, headers included (RFC 5322: at most 998).
    public var maxLineLength: Int
    /// The longest raw line after the header block (quoted-printable and base64: at most 76).
    public var maxBodyLineLength: Int
    public var bareLF: Bool
    public var nonASCII: Bool

    /// Parses the given files with Python's `email` package.
    public static func parse(_ files: [URL]) throws -> [ParsedEmail] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", RepoPaths.tools.appendingPathComponent("check_eml.py").path] + files.map(\.path)
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestServerError("check_eml.py failed") }
        return try JSONDecoder().decode([ParsedEmail].self, from: data)
    }
}
