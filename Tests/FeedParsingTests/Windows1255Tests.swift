import Foundation
import Testing

@testable import FeedParsing

#if canImport(Glibc)
    import Glibc
#endif

/// windows-1255 feeds are converted by `Windows1255`'s table instead of by libxml2 through
/// glibc's iconv: the table must give what iconv gives, and leave alone what it cannot.
@Suite struct Windows1255Tests {
    /// glibc's conversion, as libxml2 asks for it.
    private func iconvUTF8(_ bytes: [UInt8]) -> [UInt8]? {
        let converter = iconv_open("UTF-8", "WINDOWS-1255")
        guard converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 4 + 16)
        let written = input.withUnsafeMutableBufferPointer { inBuffer -> Int? in
            output.withUnsafeMutableBufferPointer { outBuffer -> Int? in
                var inPointer: UnsafeMutablePointer<CChar>? = inBuffer.baseAddress
                var inLeft = inBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = outBuffer.baseAddress
                var outLeft = outBuffer.count
                guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1,
                    iconv(converter, nil, nil, &outPointer, &outLeft) != -1
                else { return nil }
                return outBuffer.count - outLeft
            }
        }
        return written.map { output[..<$0].map { UInt8(bitPattern: $0) } }
    }

    @Test func everyByteTheTableConvertsIsConvertedAsIconvConvertsIt() throws {
        var converted = 0
        for byte in UInt8(0x80)...0xFF {
            let bytes: [UInt8] = [0x61, byte, 0x62]
            guard let table = Windows1255.utf8(of: Data(bytes)) else { continue }
            converted += 1
            #expect(table == iconvUTF8(bytes), "byte \(byte)")
        }
        #expect(converted == Windows1255.upperHalf.filter { $0 != 0 }.count)
    }

    /// Every pair of bytes the table converts, letters beside letters included (iconv
    /// composes some pairs; none of these).
    @Test func everyPairIsConvertedAsIconvConvertsIt() {
        let convertible = (UInt8(0x20)...0xFF).filter { $0 < 0x7F || Windows1255.utf8(of: Data([$0])) != nil }
        var bytes: [UInt8] = []
        for first in convertible {
            for second in convertible { bytes += [first, second, 0x20] }
        }
        #expect(Windows1255.utf8(of: Data(bytes)) == iconvUTF8(bytes))
    }

    /// Runs of ASCII of every length up to 40 (copied eight bytes at a time) between Hebrew
    /// letters, at every offset, convert as iconv converts them.
    @Test func asciiRunsOfEveryLengthConvertAsIconvConvertsThem() {
        var bytes: [UInt8] = []
        for length in 0...40 {
            bytes += [0xF9, 0xEC]  // ש ל
            bytes += (0..<length).map { UInt8(0x61 + $0 % 26) }
        }
        for start in 0..<9 {
            let slice = Array(bytes[start...])
            #expect(Windows1255.utf8(of: Data(slice)) == iconvUTF8(slice), "from \(start)")
        }
    }

    /// Hebrew points combine with the letter before them in glibc's converter, and the
    /// undefined bytes are errors there: a feed with either is left to libxml2.
    @Test func pointsAndUndefinedBytesAreLeftToIconv() {
        for byte in [0xC0, 0xC4, 0xC9, 0xCC, 0xD2, 0x81, 0x8A, 0x9F, 0xCA, 0xD9, 0xDF, 0xFB, 0xFC, 0xFF] as [UInt8] {
            #expect(Windows1255.utf8(of: Data([0xE9, byte, 0x20])) == nil, "byte \(byte)")
        }
        #expect(iconvUTF8([0xE9, 0xC4]) != [0xD7, 0x99, 0xD6, 0xB4], "glibc composes yod and hiriq")
    }

    @Test(arguments: [
        #"<?xml version="1.0" encoding="windows-1255"?>"#, #"<?xml version='1.0' encoding='Windows-1255'?>"#,
        #"<?xml version="1.0" encoding="windows-1255" standalone="yes"?>"#,
    ])
    func theDeclarationIsRewritten(_ declaration: String) throws {
        let data = Data(
            Array(declaration.utf8) + Array("\n<rss><channel><title>".utf8) + [0xE9] + Array("</title></channel></rss>".utf8))
        let converted = try #require(Windows1255.utf8Document(data))
        #expect(FeedEncoding.declaredEncoding(converted) == "utf-8")
    }

    @Test(arguments: [
        #"<?xml version="1.0" encoding="iso-8859-8"?>"#, #"<?xml version="1.0"  encoding="windows-1255"?>"#,
        #"<?xml encoding="windows-1255"?>"#, #"<?xml version="1.0" encoding="windows-1255" ?>"#,
        "\u{FEFF}<?xml version=\"1.0\" encoding=\"windows-1255\"?>",
        #"<?xml version="1.0" encoding="windows-1255"#,
    ])
    func otherDeclarationsAreLeftToLibxml2(_ declaration: String) {
        #expect(Windows1255.utf8Document(Data((declaration + "<rss/>").utf8)) == nil)
    }

    /// The fixture and a generated Hebrew feed read the same through the table as through iconv.
    @Test func feedsReadTheSame() throws {
        let url = try #require(
            Bundle.module.url(forResource: "rss-windows-1255.xml", withExtension: nil, subdirectory: "Fixtures"))
        var feeds = [try Data(contentsOf: url)]
        var generated =
            Array(#"<?xml version="1.0" encoding="windows-1255"?>"#.utf8) + Array("\n<rss version=\"2.0\"><channel>".utf8)
        for index in 0..<20 {
            generated +=
                Array("<item><title>".utf8) + [0xF9, 0xEC, 0xE5, 0xED, 0x20, 0x96, 0x20] + Array("\(index)</title>".utf8)
            generated +=
                Array("<description><![CDATA[<p>".utf8) + [0xE0, 0xE1, 0xE2, 0x85, 0xA4, 0xFD, 0xD4]
                + Array("</p>]]></description></item>".utf8)
        }
        generated += Array("</channel></rss>\n".utf8)
        feeds.append(Data(generated))
        for data in feeds {
            let converted = try #require(Windows1255.utf8Document(data))
            let throughTable = try #require(XMLTree.parseStrictly(converted, baseURL: nil, validUTF8: true))
            let throughIconv = try #require(XMLTree.parseStrictly(data, baseURL: nil))
            #expect(throughTable.serialized == throughIconv.serialized)
        }
    }
}
