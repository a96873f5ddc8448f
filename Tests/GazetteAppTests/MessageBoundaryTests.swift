import Testing

@testable import GazetteApp

/// A message's MIME boundary comes from its Message-ID, so a resend after a crash is the same
/// bytes; it must not change between versions either, or a message claimed by the old version
/// and sent again by the new one would differ from the first attempt.
@Suite struct MessageBoundaryTests {
    @Test func theBoundaryIsTheFirstTwelveBytesOfTheMessageIDsHashInLowercaseHex() {
        // sha256("<2026-12-03.news.42.abc@gazette.example>") begins 54124be94121dac80411671f…
        #expect(
            DigestDelivery.boundary(forMessageID: "<2026-12-03.news.42.abc@gazette.example>")
                == "=_gazette_54124be94121dac80411671f")
        #expect(DigestDelivery.boundary(forMessageID: "a") != DigestDelivery.boundary(forMessageID: "b"))
    }
}
