import Foundation
import GazetteModel

/// Header field text per RFC 5322 and RFC 2047: ASCII as is, anything else as UTF-8
/// encoded-words, folded so no line passes 78 characters.
enum HeaderEncoding {
    /// Characters that force an ASCII display name into a quoted string (RFC 5322 `specials`).
    private static let specials = Set("()<>[]:;@\\,.\"")

    /// `Name <address>`, with the name quoted or encoded as needed.
    static func mailbox(_ address: MailAddress) -> String {
        let bare = sanitized(address.address)
        guard let raw = address.name.map(sanitized), !raw.isEmpty else { return bare }
        let name: String
        if needsEncodedWords(raw) {
            name = encodedWords(raw, firstLineUsed: 6).joined(separator: "\r\n ")
        } else if raw.contains(where: { specials.contains($0) }) {
            name = "\"" + raw.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        } else {
            name = raw
        }
        return "\(name) <\(bare)>"
    }

    /// An unstructured value (Subject, List-Id's phrase…): ASCII kept, otherwise encoded-words.
    /// - Parameter encodingLookalikes: false for values Gazette encoded itself (List-Id's
    ///   phrase), whose "=?" starts real encoded-words.
    static func unstructured(_ value: String, fieldName: String, encodingLookalikes: Bool = true) -> String {
        let clean = sanitized(value)
        if !needsEncodedWords(clean, encodingLookalikes: encodingLookalikes) { return clean }
        return encodedWords(clean, firstLineUsed: fieldName.count + 2).joined(separator: "\r\n ")
    }

    /// CR, LF and other control characters become spaces and bidi overrides go
    /// (`UntrustedText`): a header value can never start a new header or disguise itself.
    static func sanitized(_ value: String) -> String {
        UntrustedText.clean(value)
    }

    /// Non-ASCII text; ASCII holding "=?", which a mail client may read as the start of an
    /// encoded-word and show as something else (RFC 2047 §5 wants such text encoded: a subject
    /// of "=?utf-8?b?SGk=?=" must display as written, not as "Hi"; found by fuzzing); and ASCII
    /// with a word so long its line would pass the hard limit of 998 characters (RFC 5322
    /// §2.1.1; found with the fuzz check's own input): encoded-words split anywhere. Shorter
    /// long words stay as they are, over the 78 a line should keep to, as before.
    static func needsEncodedWords(_ text: String, encodingLookalikes: Bool = true) -> Bool {
        guard isPrintableASCII(text) else { return true }
        // Printable ASCII: every character is one byte, so bytes answer both questions.
        var previous: UInt8 = 0
        var word = 0
        for byte in text.utf8 {
            if encodingLookalikes, previous == UInt8(ascii: "="), byte == UInt8(ascii: "?") { return true }
            word = byte == 0x20 ? 0 : word + 1
            if word > maxWord { return true }
            previous = byte
        }
        return false
    }

    /// The longest word kept as is: with the longest field name Gazette writes and the fold's
    /// space, its line stays within 998.
    static let maxWord = 900

    static func isPrintableASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// Splits text into `=?utf-8?b?…?=` words of at most 75 characters, never splitting a
    /// character (or a grapheme cluster) between two words (RFC 2047 §5).
    static func encodedWords(_ text: String, firstLineUsed: Int) -> [String] {
        let overhead = "=?utf-8?b?".count + "?=".count
        var words: [String] = []
        var chunk = ""
        func maxBytes(_ used: Int) -> Int { ((min(75, 76 - used) - overhead) / 4) * 3 }
        var budget = maxBytes(firstLineUsed)
        for character in text {
            let candidate = chunk + String(character)
            if candidate.utf8.count > budget, !chunk.isEmpty {
                words.append(encode(chunk))
                chunk = String(character)
                budget = maxBytes(1)
            } else {
                chunk = candidate
            }
        }
        if !chunk.isEmpty { words.append(encode(chunk)) }
        return words
    }

    private static func encode(_ chunk: String) -> String {
        "=?utf-8?b?" + Data(chunk.utf8).base64EncodedString() + "?="
    }

    /// Folds a header line longer than 78 characters at spaces (RFC 5322 §2.2.3). Lines that
    /// already contain folds (encoded-words) are left as they are.
    static func fold(_ line: String) -> String {
        // A line of at most 78 bytes has at most 78 characters: most headers stop here.
        guard line.utf8.count > 78 else { return line }
        return line.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) ? foldASCII(line) : foldCharacters(line)
    }

    /// `fold` by characters, for any text.
    static func foldCharacters(_ line: String) -> String {
        guard line.count > 78, !line.contains("\r\n") else { return line }
        var lines: [String] = []
        var current = ""
        for (index, word) in line.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            // Never fold between the field name and its first word: "Name:" alone on a line
            // makes some parsers keep the fold's whitespace in the value.
            if index > 1, !current.isEmpty, current.count + 1 + word.count > 78 {
                lines.append(current)
                current = String(word)
            } else {
                current += (current.isEmpty ? "" : " ") + word
            }
        }
        lines.append(current)
        return lines.joined(separator: "\r\n ")
    }

    /// `fold` of printable ASCII (most headers), where a character is a byte: the same
    /// lines, counted in bytes instead of walking characters for every word.
    static func foldASCII(_ line: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(line.utf8.count + 16)
        var currentLength = 0
        for (index, word) in line.utf8.split(separator: 0x20, omittingEmptySubsequences: false).enumerated() {
            if index > 1, currentLength > 0, currentLength + 1 + word.count > 78 {
                out += [0x0D, 0x0A, 0x20]
                out += word
                currentLength = word.count
            } else {
                if currentLength > 0 {
                    out.append(0x20)
                    currentLength += 1
                }
                out += word
                currentLength += word.count
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
