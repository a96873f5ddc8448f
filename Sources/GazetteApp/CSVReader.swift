import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads RFC 4180 CSV one record at a time from a file or a string, noting the line each
/// record starts on (a quoted field may span lines), without holding the file in memory.
///
/// Works on UTF-8 bytes, not `Character`s. Accepts LF, CRLF and CR line ends and a leading
/// byte-order mark. A field that is not UTF-8, text after a closing quote, or a quote never
/// closed makes that record's `problem`; reading goes on with the next record.
///
/// Two ways to read: `next()` gives each record as `String` fields; `advance()` leaves the
/// record's bytes in the reader (`fieldCount`, `withField(_:_:)`) with no `String` made,
/// which is how a million-row import reads (`next()` is `advance()` plus the conversion).
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

    /// The record `advance()` read: its fields' bytes one after another, and where each ends.
    private var recordBytes: [UInt8] = []
    private var fieldEnds: [Int] = []
    /// The file line the record `advance()` read starts on, 1-based.
    public private(set) var recordLine = 0
    /// A problem in the record's structure (text after a closing quote, a quote never
    /// closed); whether each field is UTF-8 is checked when it becomes a `String`.
    public private(set) var structureProblem: String?
    /// The field being read when `structureProblem` was found: a UTF-8 problem in an earlier
    /// field is reported first. `Int.min` for a quote never closed, which is always reported.
    private var structureProblemField = Int.max

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
    @inline(__always)
    private mutating func nextByte() throws -> UInt8? {
        if position == buffer.count {
            guard let file else { return nil }
            buffer = try Self.readChunk(Self.chunkSize, from: file.fileDescriptor)
            position = 0
            if buffer.isEmpty { return nil }
        }
        defer { position += 1 }
        return buffer[position]
    }

    /// Up to `count` bytes from the file, fewer only at its end. With `read(2)` straight into
    /// the buffer: `FileHandle.read(upToCount:)` read 4 kB at a time into a growing `Data`.
    private static func readChunk(_ count: Int, from descriptor: Int32) throws -> [UInt8] {
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = 0
            guard let start = buffer.baseAddress else { return }
            while initialized < count {
                let got = read(descriptor, start + initialized, count - initialized)
                if got > 0 {
                    initialized += got
                } else if got == 0 {
                    break
                } else if errno != EINTR {
                    failure = errno
                    break
                }
            }
        }
        if failure != 0 { throw POSIXError(POSIXErrorCode(rawValue: failure) ?? .EIO) }
        return bytes
    }

    @inline(__always)
    private mutating func peekByte() throws -> UInt8? {
        guard let byte = try nextByte() else { return nil }
        position -= 1
        return byte
    }

    /// Appends the bytes up to the next `a`, `b` or `c` in the buffer (not past its end: the
    /// byte loop refills it) to the record at once.
    @inline(__always)
    private mutating func appendRun(until a: UInt8, _ b: UInt8, _ c: UInt8) {
        let start = position
        let end = buffer.withUnsafeBufferPointer { bytes in
            var index = start
            while index < bytes.count {
                let byte = bytes[index]
                if byte == a || byte == b || byte == c { break }
                index += 1
            }
            return index
        }
        if end > start {
            recordBytes.append(contentsOf: buffer[start..<end])
            position = end
        }
    }

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

    /// The number of fields in the record `advance()` read.
    public var fieldCount: Int { fieldEnds.count }

    /// Calls `body` with the bytes of field `index` of the record `advance()` read.
    @inline(__always)
    public func withField<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        let range = fieldRange(index)
        return try recordBytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// Where field `index` of the record `advance()` read lies in `withRecordBytes`'s bytes.
    @inline(__always)
    public func fieldRange(_ index: Int) -> Range<Int> {
        (index == 0 ? 0 : fieldEnds[index - 1])..<fieldEnds[index]
    }

    /// Calls `body` with every byte of the record `advance()` read, its fields one after another.
    public func withRecordBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try recordBytes.withUnsafeBufferPointer(body)
    }

    /// The record `advance()` read, with `String` fields and its problem, if any.
    public var record: Record {
        var fields: [String] = []
        fields.reserveCapacity(fieldEnds.count)
        var problem: String?
        for index in fieldEnds.indices {
            withField(index) { bytes in
                if let text = String(validating: bytes, as: UTF8.self) {
                    fields.append(text)
                } else {
                    fields.append(String(decoding: bytes, as: UTF8.self))
                    if problem == nil, index < structureProblemField {
                        problem = "field \(index + 1) is not valid UTF-8; save the file as UTF-8"
                    }
                }
            }
        }
        return Record(line: recordLine, fields: fields, problem: problem ?? structureProblem)
    }

    public mutating func next() throws -> Record? {
        try advance() ? record : nil
    }

    /// Reads the next record into the reader; false at the end of the input.
    public mutating func advance() throws -> Bool {
        if atStart {
            atStart = false
            if try peekByte() == 0xEF {
                let saved = (buffer, position)
                let bom = [try nextByte(), try nextByte(), try nextByte()]
                if bom != [0xEF, 0xBB, 0xBF] { (buffer, position) = saved }
            }
        }
        guard try peekByte() != nil else { return false }
        recordLine = line
        recordBytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        structureProblem = nil
        structureProblemField = Int.max
        var fieldStart = 0
        var quoted = false
        var inQuotes = false
        while let byte = try nextByte() {
            if inQuotes {
                if byte == Self.quote {
                    if try peekByte() == Self.quote {
                        _ = try nextByte()
                        recordBytes.append(Self.quote)
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == Self.lf {
                        line += 1
                    } else if byte == Self.cr, try peekByte() != Self.lf {
                        line += 1
                    }
                    recordBytes.append(byte)
                    appendRun(until: Self.quote, Self.cr, Self.lf)
                }
                continue
            }
            switch byte {
            case Self.quote where recordBytes.count == fieldStart && !quoted:
                inQuotes = true
                quoted = true
            case Self.comma:
                fieldEnds.append(recordBytes.count)
                fieldStart = recordBytes.count
                quoted = false
            case Self.cr, Self.lf:
                if byte == Self.cr, try peekByte() == Self.lf { _ = try nextByte() }
                line += 1
                fieldEnds.append(recordBytes.count)
                return true
            default:
                if quoted, structureProblem == nil {
                    structureProblem = "text after the closing quote of field \(fieldEnds.count + 1)"
                    structureProblemField = fieldEnds.count
                }
                recordBytes.append(byte)
                // The field is not empty now, so a quote is text like any other.
                appendRun(until: Self.comma, Self.cr, Self.lf)
            }
        }
        if inQuotes {
            structureProblem = "a quoted field starting on this line is never closed (a missing \")"
            structureProblemField = Int.min
        }
        fieldEnds.append(recordBytes.count)
        return true
    }
}

/// Writes RFC 4180 CSV: CRLF line ends, a field quoted when it holds a comma, a quote, a line
/// break or surrounding spaces, quotes doubled.
public enum CSVWriter {
    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ value: String) -> String {
        let needsQuotes =
            value.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || value.first?.isWhitespace == true || value.last?.isWhitespace == true
        return needsQuotes ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }
}
