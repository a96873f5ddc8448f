/// Text from the internet (feed titles, page bylines, tags, subscriber names) made safe to
/// store and to put in a message, a header or a terminal.
///
/// Removed: NUL and the other C0/C1 control characters (a CR/LF smuggled into a name
/// would start a new header line), and the Unicode bidirectional overrides, embeddings and
/// isolates (U+202A–U+202E, U+2066–U+2069), which can make `moc.evil` display as
/// `evil.com` or reorder a line against its reader. Right-to-left text itself needs none of
/// them: Hebrew and Arabic letters carry their own direction, and the renderers add the
/// isolation they need. Whitespace runs become one space.
///
/// Every text field of every feed passes through `clean`, so it works over UTF-8 bytes and
/// returns its argument untouched (no allocation) when there is nothing to change, which is
/// the common case for titles, names and tags.
public enum UntrustedText {
    public static func clean(_ text: String) -> String {
        var text = text
        var mayFuse = false
        let cleaned = text.withUTF8 { bytes -> String? in
            let scan = scan(bytes)
            guard scan.needsCleaning else {
                mayFuse = scan.mayFuseMarkup
                return nil
            }
            return clean(utf8: bytes)
        }
        if let cleaned { return mayFuseMarkup(cleaned) ? detachingMarkupCharacters(cleaned) : cleaned }
        return mayFuse ? detachingMarkupCharacters(text) : text
    }

    /// `clean` of UTF-8 bytes (valid UTF-8, as a `String`'s or libxml2's).
    ///
    /// Bytes with nothing to clean, most text, are scanned once (`scan`) and copied: cleaning
    /// them scalar by scalar and then looking for markup that may fuse made three passes.
    public static func clean(utf8 bytes: UnsafeBufferPointer<UInt8>) -> String {
        let scan = scan(bytes)
        if !scan.needsCleaning {
            let text = String(decoding: bytes, as: UTF8.self)
            return scan.mayFuseMarkup ? detachingMarkupCharacters(text) : text
        }
        let cleaned = cleanScalars(utf8: bytes)
        return mayFuseMarkup(cleaned) ? detachingMarkupCharacters(cleaned) : cleaned
    }

    private static func cleanScalars(utf8 bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { output in
            var count = 0
            var pendingSpace = false
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte > 0x20 && byte < 0x7F {  // printable ASCII, most of any text: copied as is
                    if pendingSpace {
                        output[count] = 0x20
                        count += 1
                        pendingSpace = false
                    }
                    output[count] = byte
                    count += 1
                    index += 1
                    continue
                }
                let (scalar, length) = decode(bytes, at: index)
                defer { index += length }
                if isWhitespace(scalar) {
                    pendingSpace = count > 0
                    continue
                }
                if isForbidden(scalar) { continue }
                if pendingSpace {
                    output[count] = 0x20
                    count += 1
                    pendingSpace = false
                }
                for offset in 0..<length { output[count + offset] = bytes[index + offset] }
                count += length
            }
            return count
        }
    }

    /// Whether `clean` would change these bytes (a control, bidi or whitespace scalar other
    /// than a single space between two other scalars), and when it would not, `mayFuseMarkup`
    /// of the same bytes: one pass over every text field instead of two (the second went
    /// through `String.UTF8View`; the two were 7% of parsing a feed).
    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> (needsCleaning: Bool, mayFuseMarkup: Bool) {
        guard let first = bytes.first, let last = bytes.last else { return (false, false) }
        if first == 0x20 || last == 0x20 { return (true, false) }
        var previousWasSpace = false
        var previousWasMarkup = false
        var mayFuse = false
        var index = 0
        let raw = UnsafeRawBufferPointer(bytes)
        while index < bytes.count {
            // Eight bytes at a time while they are printable ASCII or single spaces (most of
            // any text): such a run changes nothing, and only its last byte matters after it.
            if index + 8 <= bytes.count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if isPlainASCII(word, afterSpace: previousWasSpace) {
                    let last = UInt8(truncatingIfNeeded: word >> 56)
                    previousWasSpace = last == 0x20
                    previousWasMarkup =
                        last == UInt8(ascii: "\"") || last == UInt8(ascii: "'") || last == UInt8(ascii: "<")
                        || last == UInt8(ascii: ">") || last == UInt8(ascii: "&")
                    index += 8
                    continue
                }
            }
            let byte = bytes[index]
            if byte < 0x80 {
                if byte == 0x20 {
                    if previousWasSpace { return (true, false) }
                    previousWasSpace = true
                    previousWasMarkup = false
                } else {
                    if byte < 0x20 || byte == 0x7F { return (true, false) }
                    previousWasSpace = false
                    previousWasMarkup =
                        byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "<")
                        || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&")
                }
                index += 1
                continue
            }
            if previousWasMarkup { mayFuse = true }
            previousWasMarkup = false
            // U+00C0 to U+07FF (Latin letters, Hebrew, Arabic), none of them whitespace or
            // forbidden: no need to decode them (Hebrew text is all such pairs and spaces).
            if byte >= 0xC3, byte <= 0xDF, index + 1 < bytes.count {
                previousWasSpace = false
                index += 2
                continue
            }
            let (scalar, length) = decode(bytes, at: index)
            if isWhitespace(scalar) || isForbidden(scalar) { return (true, false) }
            previousWasSpace = false
            index += length
        }
        return (false, mayFuse)
    }

    /// Whether eight bytes (in memory order) are all ASCII, none a control character or DEL,
    /// and no two neighbouring ones spaces (nor the first a space when `afterSpace`): the
    /// bytes `scan` lets through unchanged. Exact, by the usual bit tricks: a byte below `n`
    /// borrows into its top bit when `n` is taken from every byte, and a byte is zero exactly
    /// when adding 0x7F to its low seven bits leaves its top bit clear.
    @inline(__always)
    static func isPlainASCII(_ word: UInt64, afterSpace: Bool) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let tops: UInt64 = 0x8080_8080_8080_8080
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        // Non-ASCII, a byte below 0x20, or DEL (a zero byte of word ^ 0x7F7F…).
        let del = word ^ lows
        if (word | ((word &- ones &* 0x20) & ~word) | ((del &- ones) & ~del)) & tops != 0 { return false }
        let spaces = word ^ (ones &* 0x20)
        let spaceTops = ~(((spaces & lows) &+ lows) | spaces) & tops  // the top bit of each space
        if spaceTops & (spaceTops >> 8) != 0 { return false }
        return !(afterSpace && spaceTops & 0x80 != 0)
    }

    /// The scalar starting at `index` of valid UTF-8, and its length in bytes.
    @inlinable
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int) {
        let lead = UInt32(bytes[index])
        if lead < 0x80 { return (lead, 1) }
        // A truncated sequence (never in a String) is taken byte by byte.
        func continuation(_ offset: Int) -> UInt32? {
            index + offset < bytes.count ? UInt32(bytes[index + offset]) & 0x3F : nil
        }
        if lead < 0xE0, let b1 = continuation(1) { return ((lead & 0x1F) << 6 | b1, 2) }
        if lead < 0xF0, let b1 = continuation(1), let b2 = continuation(2) { return ((lead & 0x0F) << 12 | b1 << 6 | b2, 3) }
        if let b1 = continuation(1), let b2 = continuation(2), let b3 = continuation(3) {
            return ((lead & 0x07) << 18 | b1 << 12 | b2 << 6 | b3, 4)
        }
        return (lead, 1)
    }

    /// True when `text` holds nothing `clean` would remove or change.
    public static func isClean(_ text: String) -> Bool { clean(text) == text }

    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool { isForbidden(scalar.value) }

    @inlinable
    public static func isForbidden(_ value: UInt32) -> Bool {
        switch value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        case 0xFFF9...0xFFFB: true  // interlinear annotation controls
        default: false
        }
    }

    /// The whitespace `clean` collapses: exactly Foundation's `whitespacesAndNewlines`
    /// (Unicode `Z*` plus U+0009–U+000D and U+0085).
    public static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool { isWhitespace(scalar.value) }

    @inlinable
    public static func isWhitespace(_ value: UInt32) -> Bool {
        switch value {
        case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// `text` without leading and trailing whitespace (as `isWhitespace`): the same result
    /// as Foundation's `trimmingCharacters(in: .whitespacesAndNewlines)` without bridging.
    public static func trimmingWhitespace(_ text: String) -> String {
        // Most fields start and end with a visible ASCII character: nothing to trim, known from
        // two bytes (walking the scalars from both ends to learn so was 2% of parsing a feed).
        var text = text
        let visibleEnds = text.withUTF8 { bytes in
            guard let first = bytes.first, let last = bytes.last else { return false }
            return first > 0x20 && first < 0x7F && last > 0x20 && last < 0x7F
        }
        if visibleEnds { return text }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isWhitespace($0.value) }),
            let last = scalars.lastIndex(where: { !isWhitespace($0.value) })
        else { return "" }
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return text }
        return String(scalars[first...last])
    }

    /// The characters HTML escaping must see.
    static let markup: Set<Unicode.Scalar> = ["\"", "'", "<", ">", "&"]

    /// A combining mark (or other grapheme extender) right after `"`, `'`, `<`, `>` or `&`
    /// fuses with it into one `Character` that is not that character, and escapers that go
    /// `Character` by `Character` (swift-mustache's `{{value}}` among them) let the raw quote
    /// through: `alt="{{imageAlt}}"` with `x"\u{301} onerror=…` gained an attribute. Such a
    /// mark decorates punctuation no reader needs decorated, so it goes.
    static func detachingMarkupCharacters(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for character in text {
            if let first = character.unicodeScalars.first, markup.contains(first), character.unicodeScalars.count > 1 {
                scalars.append(first)
            } else {
                scalars.append(contentsOf: character.unicodeScalars)
            }
        }
        return String(scalars)
    }

    /// True when a markup character is followed by a non-ASCII scalar that may fuse with it.
    static func mayFuseMarkup(_ text: String) -> Bool {
        // Over the string's own bytes: a loop over `utf8` went through the view's iterator.
        var text = text
        return text.withUTF8 { bytes in
            var previousWasMarkup = false
            for byte in bytes {
                if previousWasMarkup, byte >= 0x80 { return true }
                previousWasMarkup =
                    byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "<")
                    || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&")
            }
            return false
        }
    }
}
