import FeedParsing
import Foundation
import Testing

@Suite struct FeedDateTests {
    /// 2026-11-26 07:00:00 UTC
    let reference = Date(timeIntervalSince1970: 1_795_676_400)

    @Test(arguments: [
        "Thu, 26 Nov 2026 07:00:00 +0000",
        "Thu, 26 Nov 2026 07:00:00 GMT",
        "Thu, 26 Nov 2026 09:00:00 +0200",
        "Thu, 26 Nov 2026 09:00:00 +02:00",
        "26 Nov 2026 07:00:00 UT",
        "Thu, 26 Nov 26 07:00:00 GMT",
        "Thurs, 26 Nov 2026 02:00:00 EST",
        "Thu,26 Nov 2026 07:00 Z",
        "Thu, 26 November 2026 10:00:00 MSK",
        "2026-11-26T07:00:00Z",
        "2026-11-26T09:00:00+02:00",
        "2026-11-26T09:00:00+0200",
        "2026-11-26 07:00:00",
        "2026-11-26T07:00:00.000Z",
    ])
    func parsesWhatFeedsWrite(_ text: String) {
        #expect(FeedDate.parse(text) == reference)
    }

    @Test func keepsFractionsOfSeconds() {
        #expect(FeedDate.parse("2026-11-26T07:00:00.250Z") == reference.addingTimeInterval(0.25))
    }

    @Test func parsesADateWithoutATime() {
        #expect(FeedDate.parse("2026-11-26") == Date(timeIntervalSince1970: 1_795_651_200))
    }

    @Test(arguments: ["", "yesterday", "Thu, 32 Nov 2026 07:00:00 GMT", "2026-13-01", "Thu, 26 Nov 2026 25:99 GMT"])
    func rejectsNonsense(_ text: String) {
        #expect(FeedDate.parse(text) == nil)
    }
}
