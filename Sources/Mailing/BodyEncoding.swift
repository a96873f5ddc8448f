import Foundation

/// Content-Transfer-Encoding for a UTF-8 body: whichever of quoted-printable and base64 is
/// smaller, quoted-printable on a tie (it stays readable). QP triples every byte of Hebrew
/// text and every `=` of HTML's attributes; base64 adds a third to everything.
enum BodyEncoding {
    static func encode(_ text: String) -> (name: String, body: String) {
        let bytes = crlfBytes(isSurelyNFC(text) ? text : text.precomposedStringWithCanonicalMapping)
        let quoted = quotedPrintableBytes(bytes)
        if base64Length(bytes.count) < quoted.count {
            return ("base64", base64(bytes))
        }
        return ("quoted-printable", String(decoding: quoted, as: UTF8.self))
    }

    /// The part's size as sent, as `encode` would send it, without writing it.
    static func encodedSize(_ text: String) -> EncodedSize {
        let bytes = crlfBytes(isSurelyNFC(text) ? text : text.precomposedStringWithCanonicalMapping)
        return EncodedSize(quotedPrintable: quotedPrintableLength(bytes), base64: base64Length(bytes.count))
    }

    /// The length of `base64Bytes` of `count` bytes: 4 characters per 3 bytes, in lines of
    /// 76 joined by CRLF.
    static func base64Length(_ count: Int) -> Int {
        let characters = (count + 2) / 3 * 4
        let lines = (characters + 75) / 76
        return characters + max(lines - 1, 0) * 2
    }

    /// True when normalizing to NFC cannot change the text: every scalar is below U+0300
    /// (before the first combining mark), a Hebrew letter or punctuation without points, or
    /// common punctuation (dashes, quotes, ellipsis, euro). Foundation's normalization was a
    /// fifth of rendering time in `make bench` (perf) for text that almost always passes this.
    static func isSurelyNFC(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { isSurelyNFC(utf8: $0) }
    }

    /// `isSurelyNFC` of valid UTF-8, read by byte: ASCII is the common case, and a two- or
    /// three-byte sequence decodes to a scalar with two shifts.
    static func isSurelyNFC(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let scalar: UInt32
            if lead < 0xE0, index + 1 < count {
                scalar = UInt32(lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
                index += 2
            } else if lead < 0xF0, index + 2 < count {
                scalar = UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
                index += 3
            } else {
                return false  // beyond the BMP: none of the scalars below
            }
            switch scalar {
            case 0..<0x300, 0x5BE, 0x5C0, 0x5C3, 0x5C6, 0x5D0...0x5F4, 0x2010...0x2027, 0x2030...0x205E, 0x20AC: continue
            default: return false
            }
        }
        return true
    }

    /// The text's UTF-8 with every line break (LF, CR or CRLF) as CRLF: SMTP servers now
    /// refuse bare LF.
    static func crlfBytes(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { crlfBytes(utf8: $0) }
    }

    /// `crlfBytes` of UTF-8 bytes, written through a pointer into scratch room for the worst
    /// case (every byte a line break), then copied out at its length (parts are kept in
    /// caches): array appends were most of this loop's time.
    static func crlfBytes(utf8 input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * input.count + 1) { output in
            var out = 0
            var previous: UInt8 = 0
            for byte in input {
                if byte == 0x0A {
                    if previous != 0x0D {
                        output[out] = 0x0D
                        out += 1
                    }
                    output[out] = 0x0A
                    out += 1
                } else {
                    if previous == 0x0D {  // a lone CR
                        output[out] = 0x0A
                        out += 1
                    }
                    output[out] = byte
                    out += 1
                }
                previous = byte
            }
            if previous == 0x0D {
                output[out] = 0x0A
                out += 1
            }
            return Array(UnsafeBufferPointer(rebasing: output[..<out]))
        }
    }

    static func base64(_ bytes: [UInt8]) -> String {
        String(decoding: base64Bytes(bytes), as: UTF8.self)
    }

    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Base64 in lines of 76 characters joined by CRLF (no CRLF after the last), in one pass
    /// over the bytes: splitting Foundation's base64 string by `String.Index` was a quarter of
    /// a spliced message's time (`DigestMessageTemplate`).
    static func base64Bytes(_ bytes: [UInt8]) -> [UInt8] {
        let groups = (bytes.count + 2) / 3
        let characters = groups * 4
        let lines = (characters + 75) / 76
        let length = characters + max(lines - 1, 0) * 2
        return [UInt8](unsafeUninitializedCapacity: length) { output, initialized in
            bytes.withUnsafeBufferPointer { input in
                base64Alphabet.withUnsafeBufferPointer { alphabet in
                    var out = 0
                    var index = 0
                    var lineLength = 0
                    func breakLineIfFull() {
                        if lineLength == 76 {
                            output[out] = 0x0D
                            output[out + 1] = 0x0A
                            out += 2
                            lineLength = 0
                        }
                    }
                    while index + 3 <= input.count {
                        breakLineIfFull()
                        let value = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                        output[out] = alphabet[Int(value >> 18)]
                        output[out + 1] = alphabet[Int(value >> 12 & 0x3F)]
                        output[out + 2] = alphabet[Int(value >> 6 & 0x3F)]
                        output[out + 3] = alphabet[Int(value & 0x3F)]
                        out += 4
                        lineLength += 4
                        index += 3
                    }
                    let rest = input.count - index
                    if rest > 0 {
                        breakLineIfFull()
                        let value = UInt32(input[index]) << 16 | (rest == 2 ? UInt32(input[index + 1]) << 8 : 0)
                        output[out] = alphabet[Int(value >> 18)]
                        output[out + 1] = alphabet[Int(value >> 12 & 0x3F)]
                        output[out + 2] = rest == 2 ? alphabet[Int(value >> 6 & 0x3F)] : UInt8(ascii: "=")
                        output[out + 3] = UInt8(ascii: "=")
                        out += 4
                    }
                    initialized = out
                }
            }
        }
    }

    /// RFC 2045 §6.7 quoted-printable over CRLF-separated UTF-8, lines at most 76 characters.
    /// A leading "." and "From " are encoded too, so no relay or mbox tool alters the body.
    static func quotedPrintable(_ bytes: [UInt8]) -> String {
        String(decoding: quotedPrintableBytes(bytes), as: UTF8.self)
    }

    /// `quotedPrintable` as bytes. Each CRLF-separated line is encoded on its own, so lines
    /// encoded apart and joined with CRLF are the encoding of the joined lines.
    static func quotedPrintableBytes(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { quotedPrintableBytes($0) }
    }

    /// `quotedPrintableBytes` written through a pointer into scratch room for the worst case,
    /// then copied out at its length: each byte as "=XX", and a soft break ("=" CRLF) at most
    /// once per 25 input bytes (a line breaks only when 73 of its 76 characters are written).
    static func quotedPrintableBytes(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 3 * input.count + 3 * (input.count / 25) + 3) { output in
            var out = QuotedPrintableBytes(output: output.baseAddress!)
            quotedPrintable(input, into: &out)
            return Array(UnsafeBufferPointer(rebasing: output[..<out.count]))
        }
    }

    /// The length of `quotedPrintableBytes(bytes)`, counted without writing it: the size
    /// budget measures each rendering's HTML as it will be sent.
    static func quotedPrintableLength(_ bytes: [UInt8]) -> Int {
        var counter = QuotedPrintableCount()
        bytes.withUnsafeBufferPointer { quotedPrintable($0, into: &counter) }
        return counter.count
    }

    /// Quoted-printable output: bytes as written (`emit`), or only their count.
    protocol QuotedPrintableOutput {
        mutating func literal(_ byte: UInt8)
        mutating func escaped(_ byte: UInt8)
        mutating func softBreak()
        mutating func lineBreak()
    }

    /// Writes to memory the caller made room in (`quotedPrintableBytes`).
    struct QuotedPrintableBytes: QuotedPrintableOutput {
        let output: UnsafeMutablePointer<UInt8>
        var count = 0
        mutating func literal(_ byte: UInt8) {
            output[count] = byte
            count += 1
        }
        mutating func escaped(_ byte: UInt8) {
            output[count] = UInt8(ascii: "=")
            output[count + 1] = Self.hexDigit(byte >> 4)
            output[count + 2] = Self.hexDigit(byte & 0x0F)
            count += 3
        }
        mutating func softBreak() {
            output[count] = UInt8(ascii: "=")
            output[count + 1] = 0x0D
            output[count + 2] = 0x0A
            count += 3
        }
        mutating func lineBreak() {
            output[count] = 0x0D
            output[count + 1] = 0x0A
            count += 2
        }

        /// An uppercase hex digit, as RFC 2045 writes them.
        static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x37 + nibble }
    }

    struct QuotedPrintableCount: QuotedPrintableOutput {
        var count = 0
        mutating func literal(_ byte: UInt8) { count += 1 }
        mutating func escaped(_ byte: UInt8) { count += 3 }
        mutating func softBreak() { count += 3 }
        mutating func lineBreak() { count += 2 }
    }

    private static let fromSpace = Array("From ".utf8)

    private static func quotedPrintable<Output: QuotedPrintableOutput>(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout Output) {
        var lineLength = 0
        var index = 0
        /// Appends one byte, or its "=XX" form, breaking the line first if it would pass 76.
        func emit(_ byte: UInt8, encoded: Bool) {
            let width = encoded ? 3 : 1
            if lineLength + width > 75 {  // room for the soft break's "="
                out.softBreak()
                lineLength = 0
            }
            if encoded { out.escaped(byte) } else { out.literal(byte) }
            lineLength += width
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                out.lineBreak()
                lineLength = 0
                index += 2
                continue
            }
            let atLineEnd = index + 1 == bytes.count || bytes[index + 1] == 0x0D
            let atLineStart = lineLength == 0
            let needsEncoding =
                byte == UInt8(ascii: "=") || byte >= 0x7F || (byte < 0x20 && byte != 0x09)
                || ((byte == 0x20 || byte == 0x09) && atLineEnd)
                || (atLineStart && byte == UInt8(ascii: "."))
                || (atLineStart && byte == UInt8(ascii: "F") && bytes[index...].starts(with: fromSpace))
            emit(byte, encoded: needsEncoding)
            index += 1
        }
    }
}
