import Foundation
import Testing

@testable import ReturnedMail

@Suite struct ReturnedMailReaderTests {
    private func read(_ name: String) throws -> ReturnedMailReport {
        let file = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
        return try ReturnedMailReader().read(try Data(contentsOf: file))
    }

    @Test func postfixDSNIsAHardBounceWithItsRecipientStatusAndOriginal() throws {
        let report = try read("dsn-postfix-user-unknown.eml")
        #expect(report.kind == .hard)
        #expect(report.format == "dsn")
        #expect(report.recipients == ["dana@example.net"])
        #expect(report.status == "5.1.1")
        #expect(report.diagnostic?.hasPrefix("550 5.1.1 <dana@example.net>: Recipient address rejected") == true)
        #expect(report.originalMessageID == "gazette.daily.2026-12-01.a1b2c3d4@news.example.org")
        #expect(report.messageID == "20261201060211.4Fq2Zr0Kp1z9sWm@mail.news.example.org")
        #expect(report.deliveredTo.first == "bounces+b1.41.7.Zk3vQ2m_Xw9aLp0Rt5YcAg@news.example.org")
        #expect(report.date == Date(timeIntervalSince1970: 1_796_104_931))
    }

    @Test func delayedDSNIsSoft() throws {
        let report = try read("dsn-postfix-delayed.eml")
        #expect(report.kind == .soft)
        #expect(report.status == "4.4.1")
        #expect(report.recipients == ["eli@slow.example.com"])
        #expect(report.originalMessageID == "gazette.daily.2026-12-02.e5f6a7b8@news.example.org")
    }

    @Test func gmailDSNWithEncodedPartsIsHard() throws {
        let report = try read("dsn-gmail-address-not-found.eml")
        #expect(report.kind == .hard)
        #expect(report.format == "dsn")
        #expect(report.recipients == ["fran@example.org"])
        #expect(report.status == "5.1.1")
        #expect(report.originalMessageID == "gazette.daily.2026-12-01.c0ffee11@news.example.org")
    }

    @Test func fullMailboxIsSoftEvenWithAFiveStatus() throws {
        let report = try read("dsn-exchange-online-mailbox-full.eml")
        #expect(report.kind == .soft)
        #expect(report.status == "5.2.2")
        #expect(report.recipients == ["gil@contoso.example"])
        #expect(report.originalMessageID == "gazette.daily.2026-12-01.feed1234@news.example.org")
    }

    @Test func arfReportIsAComplaintAboutTheOriginalRecipient() throws {
        let report = try read("arf-abuse-report.eml")
        #expect(report.kind == .complaint)
        #expect(report.format == "arf")
        #expect(report.recipients.first == "hana@mailbox.example")
        #expect(report.originalMessageID == "gazette.daily.2026-12-03.0badc0de@news.example.org")
        #expect(report.diagnostic == "feedback-type abuse")
    }

    @Test func arfWithOnlyTheOriginalsHeadersStillNamesItsMessageID() throws {
        let report = try read("arf-redacted-recipient-headers-only.eml")
        #expect(report.kind == .complaint)
        #expect(report.originalMessageID == "gazette.daily.2026-12-03.5ca1ab1e@news.example.org")
    }

    /// One text-form bounce and what it must be read as.
    struct TextBounce: Sendable, CustomTestStringConvertible {
        var file: String
        var kind: ReturnedMailKind
        var format: String
        var recipient: String
        var status: String?
        var original: String?
        var testDescription: String { file }
    }

    static let textBounces = [
        TextBounce(
            file: "exim-permanent-failure.eml", kind: .hard, format: "exim", recipient: "ira@example.com", status: "5.1.1",
            original: "gazette.daily.2026-12-04.deadbeef@news.example.org"),
        TextBounce(
            file: "exim-delay-warning.eml", kind: .soft, format: "exim", recipient: "jo@busy.example.com", status: "4.7.1"),
        TextBounce(
            file: "qmail-permanent-failure.eml", kind: .hard, format: "qmail", recipient: "kim@old.example", status: "5.1.1",
            original: "gazette.daily.2026-12-04.0ddba11@news.example.org"),
        TextBounce(
            file: "exchange-text-recipient-not-found.eml", kind: .hard, format: "exchange", recipient: "lee@corp.example",
            status: "5.1.1", original: "gazette.daily.2026-12-04.f00dfeed@news.example.org"),
        TextBounce(
            file: "gmail-text-failed-permanently.eml", kind: .hard, format: "gmail", recipient: "max@example.io", status: "550",
            original: "gazette.daily.2026-12-04.cafe0001@news.example.org"),
        TextBounce(file: "gmail-text-delayed.eml", kind: .soft, format: "gmail", recipient: "noa@sleepy.example"),
        TextBounce(
            file: "postfix-text-user-unknown.eml", kind: .hard, format: "postfix", recipient: "omar@legacy.example",
            status: "550",
            original: "gazette.daily.2026-12-04.abad1dea@news.example.org"),
    ]

    @Test(arguments: textBounces)
    func textBouncesAreRecognisedByTheirShape(_ expected: TextBounce) throws {
        let report = try read(expected.file)
        #expect(report.kind == expected.kind)
        #expect(report.format == expected.format)
        #expect(report.recipients.first == expected.recipient)
        #expect(report.status == expected.status)
        #expect(report.originalMessageID == expected.original)
    }

    @Test func unsubscribeTokenInTheSubjectIsFound() throws {
        let report = try read("unsubscribe-mailto-subject.eml")
        #expect(report.kind == .unsubscribe)
        #expect(report.tokens == ["v1.12.daily.Xq3-Lm9_Pz0aBcDeFgHiJk"])
        #expect(report.from == "pat@example.net")
    }

    @Test func unsubscribeTokenInAQuotedPrintableBodyIsFound() throws {
        let report = try read("unsubscribe-body-quoted-printable.eml")
        #expect(report.kind == .unsubscribe)
        #expect(report.tokens == ["v1.23.weekly.AbCdEfGhIjKlMnOpQrStUv"])
    }

    @Test func aReplyQuotingTheDigestFooterUnsubscribesNobody() throws {
        let report = try read("reader-reply-quoting-digest.eml")
        #expect(report.kind == .unknown)
        #expect(report.tokens.isEmpty)
        #expect(report.originalMessageID == "gazette.daily.2026-12-03.5a5a5a5a@news.example.org")
    }

    @Test(arguments: ["auto-reply-rfc3834.eml", "out-of-office-outlook.eml"])
    func autoRepliesAreRecognised(file: String) throws {
        let report = try read(file)
        #expect(report.kind == .autoReply)
        #expect(report.originalMessageID?.hasPrefix("gazette.daily.2026-12-03.") == true)
    }

    @Test func binaryGarbageIsMalformed() throws {
        let file = try #require(
            Bundle.module.url(forResource: "malformed-binary.eml", withExtension: nil, subdirectory: "Fixtures"))
        #expect(throws: ReturnedMailError.self) { try ReturnedMailReader().read(try Data(contentsOf: file)) }
        #expect(throws: ReturnedMailError.malformed("it is empty")) { try ReturnedMailReader().read(Data()) }
        #expect(throws: ReturnedMailError.malformed("it has no header lines")) {
            try ReturnedMailReader().read(Data("just some words\nand more\n".utf8))
        }
        #expect(throws: ReturnedMailError.malformed("none of From, To, Subject, Date or Message-ID")) {
            try ReturnedMailReader().read(Data("X-Thing: yes\n\nand more\n".utf8))
        }
    }

    @Test func aMessageOverTheLimitIsRefusedBeforeReading() {
        let big = Data(repeating: UInt8(ascii: "a"), count: 2048)
        #expect(throws: ReturnedMailError.tooLarge(bytes: 2048, limit: 1024)) { try ReturnedMailReader(maxBytes: 1024).read(big) }
    }

    @Test func crlfLineEndsReadTheSame() throws {
        let file = try #require(
            Bundle.module.url(forResource: "dsn-postfix-user-unknown.eml", withExtension: nil, subdirectory: "Fixtures"))
        let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "\n", with: "\r\n")
        let report = try ReturnedMailReader().read(Data(text.utf8))
        #expect(report.kind == .hard)
        #expect(report.recipients == ["dana@example.net"])
        #expect(report.originalMessageID == "gazette.daily.2026-12-01.a1b2c3d4@news.example.org")
    }

    @Test func datesInEveryRFC5322FormAndNothingElse() {
        #expect(TextScanning.date("Tue,  1 Dec 2026 06:02:11 +0000 (UTC)") == Date(timeIntervalSince1970: 1_796_104_931))
        #expect(TextScanning.date("Tue, 01 Dec 2026 06:03:44 -0800 (PST)") == Date(timeIntervalSince1970: 1_796_133_824))
        #expect(TextScanning.date("1 Dec 2026 02:02 EDT") == Date(timeIntervalSince1970: 1_796_104_920))
        #expect(TextScanning.date("1 Jan 70 00:00:00 GMT") == Date(timeIntervalSince1970: 0))
        for bad in [
            "bogus", "32 Dec 2026 00:00:00 +0000", "1 Dec 2026 24:00:00 +0000", "1 Dec 99999999999999999 00:00 +0000", "",
        ] {
            #expect(TextScanning.date(bad) == nil, "\(bad)")
        }
    }

    @Test func addressesAreFoundWhereverTheyStand() {
        #expect(TextScanning.addresses(in: "<dana@example.net>: host said") == ["dana@example.net"])
        #expect(TextScanning.addresses(in: "rfc822; a.b+c@x.y.org.") == ["a.b+c@x.y.org"])
        #expect(TextScanning.addresses(in: "mailto:fran@example.org\">Fran, FRAN@example.org") == ["fran@example.org"])
        #expect(TextScanning.addresses(in: "a@b, @x.com, a@b.c1, no at") == [])
    }

    @Test func encodedWordsAndFoldedHeadersAreDecoded() {
        #expect(TransferDecoding.decodeWords("=?utf-8?Q?caf=C3=A9?= =?utf-8?B?IGJhcg==?=") == "café bar")
        let (headers, _) = MailHeaders.parse(MIMEEntity.lines("Subject: one\n two\nX: y\n\nbody"))
        #expect(headers["subject"] == "one two")
    }
}

@Suite struct MboxTests {
    @Test func splitsOnFromLinesAndUnescapesQuotedOnes() {
        let mbox = """
            From MAILER-DAEMON Tue Dec  1 06:02:11 2026
            Subject: one
            Message-ID: <1@x>

            >From the desk
            >>From here

            From MAILER-DAEMON Tue Dec  1 06:03:11 2026
            Subject: two

            body

            """
        let messages = Mbox.split(Data(mbox.utf8)).map { String(decoding: $0, as: UTF8.self) }
        #expect(messages.count == 2)
        #expect(messages[0].contains("\nFrom the desk\n>From here\n"))
        #expect(messages[1].contains("Subject: two"))
    }
}
