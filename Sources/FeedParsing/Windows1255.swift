import Foundation

/// windows-1255 (Hebrew) feeds converted to UTF-8 here, by table, instead of by libxml2
/// through iconv.
///
/// Why: libxml2 converts such a feed in chunks through glibc's iconv (a tenth of the bench
/// corpus, yet about a tenth of the parse time went to `gconv`), and the converted text then
/// takes libxml2's slow path for CDATA (`CDATASections` needs bytes that are UTF-8 as they
/// stand). glibc's CP1255 converter is a plain table except that it composes a letter and
/// the Hebrew points after it into one precomposed character (U+FB1D and so on); so a feed
/// holding any point (a combining mark) or a byte the code page leaves undefined is not
/// converted here and goes to libxml2 as before. `ParsingShortcutsTests` checks the table
/// against iconv byte by byte and pair by pair.
enum Windows1255 {
    /// The scalar of each byte 0x80–0xFF; 0 for a byte left to iconv (undefined, or a point).
    static let upperHalf: [UInt16] = [
        0x20AC, 0x0000, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 0x80
        0x02C6, 0x2030, 0x0000, 0x2039, 0x0000, 0x0000, 0x0000, 0x0000,  // 0x88
        0x0000, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 0x90
        0x02DC, 0x2122, 0x0000, 0x203A, 0x0000, 0x0000, 0x0000, 0x0000,  // 0x98
        0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x20AA, 0x00A5, 0x00A6, 0x00A7,  // 0xA0
        0x00A8, 0x00A9, 0x00D7, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,  // 0xA8
        0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,  // 0xB0
        0x00B8, 0x00B9, 0x00F7, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,  // 0xB8
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,  // 0xC0
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x05BE, 0x0000,  // 0xC8
        0x05C0, 0x0000, 0x0000, 0x05C3, 0x05F0, 0x05F1, 0x05F2, 0x05F3,  // 0xD0
        0x05F4, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,  // 0xD8
        0x05D0, 0x05D1, 0x05D2, 0x05D3, 0x05D4, 0x05D5, 0x05D6, 0x05D7,  // 0xE0
        0x05D8, 0x05D9, 0x05DA, 0x05DB, 0x05DC, 0x05DD, 0x05DE, 0x05DF,  // 0xE8
        0x05E0, 0x05E1, 0x05E2, 0x05E3, 0x05E4, 0x05E5, 0x05E6, 0x05E7,  // 0xF0
        0x05E8, 0x05E9, 0x05EA, 0x0000, 0x0000, 0x200E, 0x200F, 0x0000,  // 0xF8
    ]

    /// The feed as UTF-8, its XML declaration naming UTF-8, when it declares windows-1255,
    /// starts with no byte-order mark, and every byte converts by table; else nil.
    ///
    /// The converted length is counted first, so the document is written once, straight
    /// into the one buffer it keeps: converting into a buffer three times the feed's size and
    /// copying that into the document was half of reading such a feed here (two large
    /// allocations and a copy of the whole feed).
    static func utf8Document(_ data: Data) -> Data? {
        guard let name = declaredName(data), String(decoding: data[name], as: UTF8.self).lowercased() == "windows-1255"
        else { return nil }
        let declaration = Array("UTF-8".utf8)
        let headCount = name.lowerBound - data.startIndex
        return data[name.upperBound...].withUnsafeBytes { rest -> Data? in
            guard let restCount = convertedCount(rest) else { return nil }
            let count = headCount + declaration.count + restCount
            let start = UnsafeMutableRawPointer.allocate(byteCount: count + slack, alignment: 1)
            let output = UnsafeMutableRawBufferPointer(start: start, count: count + slack)
            data.copyBytes(to: output.bindMemory(to: UInt8.self), from: data.startIndex..<name.lowerBound)
            UnsafeMutableRawBufferPointer(rebasing: output[headCount...]).copyBytes(from: declaration)
            convert(rest, into: UnsafeMutableRawBufferPointer(rebasing: output[(headCount + declaration.count)...]))
            return Data(bytesNoCopy: start, count: count, deallocator: .custom { pointer, _ in pointer.deallocate() })
        }
    }

    /// Where the encoding's name is in a declaration written exactly as WordPress and most
    /// feeds write it: `<?xml version="1.0" encoding="NAME"`, then `?>` or ` standalone=`
    /// (either quote). Anything else is left to libxml2, which alone knows what it reads
    /// from an odd declaration.
    static func declaredName(_ data: Data) -> Range<Data.Index>? {
        let head = Array(data.prefix(128))
        for quote in ["\"", "'"] {
            let opening = Array("<?xml version=\(quote)1.0\(quote) encoding=\(quote)".utf8)
            guard head.starts(with: opening) else { continue }
            guard let length = head[opening.count...].firstIndex(of: opening.last!).map({ $0 - opening.count }), length > 0
            else { return nil }
            let after = head[(opening.count + length + 1)...]
            guard after.starts(with: Array("?>".utf8)) || after.starts(with: Array(" standalone=".utf8)) else { return nil }
            let start = data.startIndex + opening.count
            return start..<(start + length)
        }
        return nil
    }

    /// The bytes converted, or nil at the first byte the table leaves to iconv.
    static func utf8(of bytes: Data) -> [UInt8]? {
        bytes.withUnsafeBytes { input -> [UInt8]? in
            guard let count = convertedCount(input) else { return nil }
            return [UInt8](unsafeUninitializedCapacity: count + slack) { buffer, written in
                convert(input, into: UnsafeMutableRawBufferPointer(buffer))
                written = count
            }
        }
    }

    /// Each byte's UTF-8, packed for `convert`: the bytes from the lowest of the low three
    /// bytes, their count in the top one; 0 for a byte left to iconv. One load and one store a
    /// byte, without a branch on the character's length: Hebrew text is every other byte.
    static let packedUTF8: [UInt32] = (0...255).map { byte -> UInt32 in
        guard byte >= 0x80 else { return UInt32(byte) | 1 << 24 }
        let scalar = UInt32(upperHalf[byte - 0x80])
        if scalar == 0 { return 0 }
        if scalar < 0x800 { return (0xC0 | scalar >> 6) | (0x80 | scalar & 0x3F) << 8 | 2 << 24 }
        return (0xE0 | scalar >> 12) | (0x80 | scalar >> 6 & 0x3F) << 8 | (0x80 | scalar & 0x3F) << 16 | 3 << 24
    }

    /// Room `convert` needs past the end of its output: each character is stored as four bytes.
    static let slack = 3

    /// Where the whole eight-byte words of ASCII from `index` end: ASCII, most of any feed's
    /// markup, is passed over eight bytes at a time after an ASCII byte (not at every Hebrew
    /// letter), and stays as it is.
    private static func asciiWordsEnd(_ input: UnsafeRawBufferPointer, from index: Int) -> Int {
        var end = index
        while end + 8 <= input.count, input.loadUnaligned(fromByteOffset: end, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            end += 8
        }
        return end
    }

    /// How many bytes of UTF-8 the bytes become, or nil when one is left to iconv.
    static func convertedCount(_ input: UnsafeRawBufferPointer) -> Int? {
        packedUTF8.withUnsafeBufferPointer { table -> Int? in
            var count = 0
            var index = 0
            while index < input.count {
                let byte = input[index]
                index += 1
                guard byte >= 0x80 else {
                    let end = asciiWordsEnd(input, from: index)
                    count += 1 + end - index
                    index = end
                    continue
                }
                let packed = table[Int(byte)]
                guard packed != 0 else { return nil }
                count += Int(packed >> 24)
            }
            return count
        }
    }

    /// Writes the bytes as UTF-8 into `output`, which holds `convertedCount(input)` bytes and
    /// `slack` more (every byte converts).
    static func convert(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        packedUTF8.withUnsafeBufferPointer { table in
            var count = 0
            var index = 0
            while index < input.count {
                let byte = input[index]
                index += 1
                guard byte >= 0x80 else {
                    output[count] = byte
                    count += 1
                    let end = asciiWordsEnd(input, from: index)
                    if end > index {
                        (output.baseAddress! + count).copyMemory(from: input.baseAddress! + index, byteCount: end - index)
                        count += end - index
                        index = end
                    }
                    continue
                }
                let packed = table[Int(byte)]
                output.storeBytes(of: packed.littleEndian, toByteOffset: count, as: UInt32.self)
                count += Int(packed >> 24)
            }
        }
    }
}
