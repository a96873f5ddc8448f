import Foundation

/// Reads RFC 4180 CSV one record at a time from a file or a string, noting the line each
/// record starts on (a quoted field may span lines), without holding the file in memory.
///
/// Works on UTF-8 bytes, not `Character`s: a million-row import spends its time in SQLite,
/// not here. Accepts LF, CRLF and CR line ends and a leading byte-order mark. A field that is
/// not UTF-8, text after a closing quote, or a quote never closed makes that record's
/// `problem`; reading goes on with the next record.
public struct CSVReader {
    public struct Record: Sendable, Hashable {
        /// The file line the record starts on, 1-based.
        public var line: Int
        public var fields: [String]
        /// Why the record cannot be trusted, if it cannot.
        public var problem: String?
    }

    private var buffer: [UInt8]
    private var position = 0
    private let file: FileHandle?
    private var line = 1
    private var atStart = true
    private static let chunkSize = 1 << 20

    public init(text: String) {
        buffer = Array(text.utf8)
        file = nil
    }

    /// Bytes already in memory, which need not be UTF-8 (the fuzz target and its
    /// regression tests feed arbitrary bytes through here, as a file would).
    public init(data: Data) {
        buffer = Array(data)
        file = nil
    }

    /// - Throws: when the file cannot be opened.
    public init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        file = handle
        buffer = []
    }

    /// The next byte, refilling from the file as needed; nil at the end.
    private mutating func nextByte() throws -> UInt8? {
        if position == buffer.count {
            guard let file, let chunk = try file.read(upToCount: Self.chunkSize), !chunk.isEmpty else { return nil }
            buffer = Array(chunk)
            position = 0
        }
        defer { position += 1 }
        return buffer[position]
    }

    private mutating func peekByte() throws -> UInt8? {
        guard let byte = try nextByte() else { return nil }
        position -= 1
        return byte
    }

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

    public mutating func next() throws -> Record? {
        if atStart {
            atStart = false
            if try peekByte() == 0xEF {
                let saved = (buffer, position)
                let bom = [try nextByte(), try nextByte(), try nextByte()]
                if bom != [0xEF, 0xBB, 0xBF] { (buffer, position) = saved }
            }
        }
        guard try peekByte() != nil else { return nil }
        let start = line
        var fields: [String] = []
        var field: [UInt8] = []
        var problem: String?
        var quoted = false
        var inQuotes = false
        func finishField() {
            if let text = field.withUnsafeBufferPointer({ String(validating: $0, as: UTF8.self) }) {
                fields.append(text)
            } else {
                fields.append(String(decoding: field, as: UTF8.self))
                if problem == nil { problem = "field \(fields.count) is not valid UTF-8; save the file as UTF-8" }
            }
            field.removeAll(keepingCapacity: true)
            quoted = false
        }
        while let byte = try nextByte() {
            if inQuotes {
                if byte == Self.quote {
                    if try peekByte() == Self.quote {
                        _ = try nextByte()
                        field.append(Self.quote)
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == Self.lf {
                        line += 1
                    } else if byte == Self.cr, try peekByte() != Self.lf {
                        line += 1
                    }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case Self.quote where field.isEmpty && !quoted:
                inQuotes = true
                quoted = true
            case Self.comma:
                finishField()
            case Self.cr, Self.lf:
                if byte == Self.cr, try peekByte() == Self.lf { _ = try nextByte() }
                line += 1
                finishField()
                return Record(line: start, fields: fields, problem: problem)
            default:
                if quoted, problem == nil { problem = "text after the closing quote of field \(fields.count + 1)" }
                field.append(byte)
            }
        }
        if inQuotes { problem = "a quoted field starting on this line is never closed (a missing \")" }
        finishField()
        return Record(line: start, fields: fields, problem: problem)
    }
}

/// Writes RFC 4180 CSV: CRLF line ends, a field quoted when it holds a comma, a quote, a line
/// break or surrounding spaces, quotes doubled.
public enum CSVWriter {
    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ value: String) -> String {
        let needsQuotes = value.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || value.first?.isWhitespace == true || value.last?.isWhitespace == true
        return needsQuotes ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }
}
