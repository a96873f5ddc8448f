import FeedParsing
import Foundation
import Testing

/// Every date form Universal Feed Parser documents, each to its UTC instant (seconds since
/// 1970, checked against feedparser 6.0.14 where it reads the form right).
@Suite struct FeedDateFormsTests {
    @Test(arguments: [
        ("Sun Jan  4 16:29:06 2004", 1_073_233_746),  // asctime
        ("Sun Jan  4 16:29:06 PST 2004", 1_073_262_546),  // asctime with a zone
        ("Mon, 26 Jan 2004 16:31:00 ET", 1_075_152_660),
        ("Mon, 26 Jan 2004 16:31:00 PT", 1_075_163_460),
        ("Mon, 26 Jan 2004 16:31:00 CT", 1_075_156_260),
        ("Mon, 26 Jan 2004 16:31:00 MT", 1_075_159_860),
        ("Mon, 26 Jan 2004 16:31:00 AT", 1_075_149_060),
        ("Mon, 26 Jan 2004 16:31:00 MET", 1_075_131_060),
        ("Mon, 26 Jan 2004 16:31:00 MEST", 1_075_127_460),
        ("Mon, 26 Jan 2004 16:31:00 Etc/GMT", 1_075_134_660),
        ("Mon, 26 Jan 2004 16:31:00 A", 1_075_138_260),  // military letters, as feedparser reads them
        ("Mon, 26 Jan 2004 16:31:00 N", 1_075_131_060),
        ("Mon, 26 Jan 2004 16:31:00 M", 1_075_177_860),
        ("Mon, 26 Jan 2004 16:31:00 Y", 1_075_091_460),
        ("Mon, 26 Jan 2004 16:31:00 Z", 1_075_134_660),
        ("Thu, 01 Jan 04 19:48:21 GMT", 1_072_986_501),
        ("Thu, 01 Jan 1998 19:48:21 GMT", 883_684_101),
        ("01 Jan 2004", 1_072_915_200),
        ("01 Jan 2004 00:00 GMT", 1_072_915_200),
        ("Mon, 26 January 2004", 1_075_075_200),
        ("Wed, 02 Oct 2002 13:00:00 -05:30", 1_033_583_400),
        ("Thu, 01-Jan-2004 19:48:21 GMT", 1_072_986_501),  // as cookies write it
        ("Mon, 26 Jan 2004 4:31:00 PM EST", 1_075_152_660),
        ("Mon, 26 Jan 2004 12:05 AM GMT", 1_075_075_500),
        ("2003-12-31T10:14:55-08:00", 1_072_894_495),
        ("2003-12-31T10:14:55Z", 1_072_865_695),
        ("2003", 1_041_379_200),  // W3CDTF partials: the first of the year or month
        ("2003-12", 1_070_236_800),
        ("2003-12-31", 1_072_828_800),
        ("20031231", 1_072_828_800),  // compact
        ("031231", 1_072_828_800),
        ("-0312", 1_070_236_800),
        ("-03-12", 1_070_236_800),
        ("2003-335", 1_070_236_800),  // ordinal
        ("2003335", 1_070_236_800),
        ("03335", 1_070_236_800),
        ("2004-07-08 23:56:58.0", 1_089_331_018),  // MSSQL
        ("2004-07-08 23:56:58", 1_089_331_018),
        ("Fri, 2006/09/15 08:19:53 EDT", 1_158_322_793),  // Perforce
        ("Κυρ, 11 Ιούλ 2004 12:00:00 EST", 1_089_565_200),  // Greek
        ("2004-július-13T9:15-05:00", 1_089_728_100),  // Hungarian
        ("2004년 05월 28일 01:31:15", 1_085_675_475),  // Korean (OnBlog), KST
        ("2004-05-25 오후 11:23:17", 1_085_494_997),  // Korean (Nate), KST, afternoon
    ])
    func readsTheForm(_ text: String, _ seconds: Int) {
        #expect(FeedDate.parse(text) == Date(timeIntervalSince1970: TimeInterval(seconds)), "\(text)")
    }

    @Test(arguments: ["Thu, 31 Jun 2004 19:48:21 GMT", "2003-02-29", "2003-13", "-0313", "2003-366", "03-12-32"])
    func rejectsDaysThatDoNotExist(_ text: String) {
        #expect(FeedDate.parse(text) == nil)
    }
}
