import Foundation
import Testing

@testable import GazetteApp

/// The random part of each Message-ID: 16 lowercase hex digits, as `%016llx` wrote them.
@Suite struct MessageTokenTests {
    @Test func hexIsWhatTheFormatStringWrote() {
        var generator = SystemRandomNumberGenerator()
        let edges: [UInt64] = [0, 1, 0xF, 0x10, 0xFFFF_FFFF, 0x8000_0000_0000_0000, .max]
        let randoms = (0..<500).map { _ in UInt64.random(in: .min ... .max, using: &generator) }
        for value in edges + randoms {
            #expect(AppEnvironment.hex(value) == String(format: "%016llx", value))
        }
    }

    @Test func aTokenIsSixteenHexDigitsAndTwoDiffer() {
        let token = AppEnvironment.randomToken()
        #expect(token.utf8.count == 16)
        #expect(token.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(AppEnvironment.randomToken() != token)
    }
}
