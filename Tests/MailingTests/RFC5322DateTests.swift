import Foundation
import Testing

@testable import Mailing

/// The `Date:` header's arithmetic formatting gives `DateFormatter`'s text.
@Suite struct RFC5322DateTests {
    static let zones = [
        "UTC", "Asia/Jerusalem", "America/New_York", "America/St_Johns", "Asia/Kolkata", "Asia/Kathmandu", "Pacific/Chatham",
        "Australia/Lord_Howe", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Dublin",
    ]

    @Test(arguments: zones)
    func matchesDateFormatter(zone: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        var random = SystemRandomNumberGenerator()
        // Fixed instants (leap days, year ends, DST changes in Israel), then random ones in 1900–2200.
        var instants: [TimeInterval] = [
            0, -1, -0.5, 951_782_400, 951_868_799.999, 1_709_164_800, 4_107_542_399, 1_795_676_400, 1_711_587_600,
            1_711_591_199, 1_711_591_200, 1_729_983_599, 1_729_983_600, -2_208_988_800, 7_258_118_399,
        ]
        instants += (0..<2_000).map { _ in Double.random(in: -2_208_988_800...7_258_118_399, using: &random) }
        for instant in instants {
            let date = Date(timeIntervalSince1970: instant)
            guard let fast = RFC5322Date.fast(date, timeZone: timeZone) else { continue }
            #expect(fast == RFC5322Date.formatted(date, timeZone: timeZone), "\(zone), \(instant)")
        }
        #expect(RFC5322Date.fast(Date(timeIntervalSince1970: 1_795_676_400), timeZone: timeZone) != nil)
    }

    @Test func theHeaderOfTheGoldenMessage() {
        let date = Date(timeIntervalSince1970: 1_795_676_400)
        #expect(
            RFC5322Date.format(date, timeZone: TimeZone(identifier: "Asia/Jerusalem") ?? .gmt)
                == "Thu, 26 Nov 2026 09:00:00 +0200")
    }
}
