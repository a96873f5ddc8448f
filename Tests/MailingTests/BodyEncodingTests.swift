import Foundation
@testable import Mailing
import Testing

@Suite struct BodyEncodingTests {
    /// Foundation's base64, cut into lines of 76 characters: what `base64Bytes` must give.
    static func reference(_ bytes: [UInt8]) -> String {
        var encoded = Substring(Data(bytes).base64EncodedString())
        var lines: [Substring] = []
        while !encoded.isEmpty {
            lines.append(encoded.prefix(76))
            encoded = encoded.dropFirst(76)
        }
        return lines.joined(separator: "\r\n")
    }

    @Test func base64LinesMatchFoundationsBase64() {
        var random = SystemRandomNumberGenerator()
        var inputs: [[UInt8]] = (0..<200).map { count in (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) } }
        inputs.append((0..<100_003).map { _ in UInt8.random(in: 0...255, using: &random) })
        inputs.append(Array(repeating: 0xFF, count: 57 * 4))
        for bytes in inputs {
            #expect(String(decoding: BodyEncoding.base64Bytes(bytes), as: UTF8.self) == Self.reference(bytes), "\(bytes.count) bytes")
        }
    }
}
