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
        text.unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0..<0x300, 0x5BE, 0x5C0, 0x5C3, 0x5C6, 0x5D0...0x5F4, 0x2010...0x2027, 0x2030...0x205E, 0x20AC: true
            default: false
            }
        }
    }

    /// The text's UTF-8 with every line break (LF, CR or CRLF) as CRLF: SMTP servers now
    /// refuse bare LF.
    static func crlfBytes(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + text.utf8.count / 16)
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == 0x0A {
                if previous != 0x0D { bytes.append(0x0D) }
                bytes.append(0x0A)
            } else {
                if previous == 0x0D { bytes.append(0x0A) }  // a lone CR
                if byte != 0x0D { bytes.append(byte) } else { bytes.append(0x0D) }
            }
            previous = byte
        }
        if previous == 0x0D { bytes.append(0x0A) }
        return bytes
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
        var out = QuotedPrintableBytes()
        out.bytes.reserveCapacity(bytes.count + bytes.count / 8)
        quotedPrintable(bytes, into: &out)
        return out.bytes
    }

    /// The length of `quotedPrintableBytes(bytes)`, counted without writing it: the size
    /// budget measures each rendering's HTML as it will be sent.
    static func quotedPrintableLength(_ bytes: [UInt8]) -> Int {
        var counter = QuotedPrintableCount()
        quotedPrintable(bytes, into: &counter)
        return counter.count
    }

    /// Quoted-printable output: bytes as written (`emit`), or only their count.
    protocol QuotedPrintableOutput {
        mutating func literal(_ byte: UInt8)
        mutating func escaped(_ byte: UInt8)
        mutating func softBreak()
        mutating func lineBreak()
    }

    struct QuotedPrintableBytes: QuotedPrintableOutput {
        static let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        mutating func literal(_ byte: UInt8) { bytes.append(byte) }
        mutating func escaped(_ byte: UInt8) {
            bytes.append(UInt8(ascii: "="))
            bytes.append(Self.hex[Int(byte >> 4)])
            bytes.append(Self.hex[Int(byte & 0x0F)])
        }
        mutating func softBreak() { bytes += [UInt8(ascii: "="), 0x0D, 0x0A] }
        mutating func lineBreak() { bytes += [0x0D, 0x0A] }
    }

    struct QuotedPrintableCount: QuotedPrintableOutput {
        var count = 0
        mutating func literal(_ byte: UInt8) { count += 1 }
        mutating func escaped(_ byte: UInt8) { count += 3 }
        mutating func softBreak() { count += 3 }
        mutating func lineBreak() { count += 2 }
    }

    private static func quotedPrintable<Output: QuotedPrintableOutput>(_ bytes: [UInt8], into out: inout Output) {
        let fromSpace = Array("From ".utf8)
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
