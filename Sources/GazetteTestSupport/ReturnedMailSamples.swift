import Foundation

/// Returned mail written for tests, shaped like what Postfix and feedback loops send.
public enum ReturnedMailSamples {
    /// An RFC 3464 report as Postfix writes it, sent to `to` (the envelope sender of the
    /// digest, a VERP address when one is configured).
    /// - Parameters:
    ///   - recipient: the `Final-Recipient` (the address the relay tried).
    ///   - original: the Message-ID of the digest, in a `text/rfc822-headers` part; none when nil.
    public static func dsn(
        to: String, recipient: String, action: String = "failed", status: String = "5.1.1", original: String? = nil,
        messageID: String, date: String = "Tue, 01 Dec 2026 06:02:11 +0000"
    ) -> String {
        let originalPart =
            original.map { id in
                """
                --b0undary
                Content-Type: text/rfc822-headers

                From: Digest <digest@sample.israelhayom.test>
                To: \(recipient)
                Message-ID: <\(id)>

                """
            } ?? ""
        return """
            Return-Path: <>
            Delivered-To: \(to)
            Date: \(date)
            From: MAILER-DAEMON@relay.sample.test (Mail Delivery System)
            Subject: \(action == "failed" ? "Undelivered Mail Returned to Sender" : "Delayed Mail (still being retried)")
            To: \(to)
            Auto-Submitted: auto-replied
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status;
            \tboundary="b0undary"
            Message-Id: <\(messageID)>

            --b0undary
            Content-Type: text/plain

            This is the mail system at host relay.sample.test.

            --b0undary
            Content-Type: message/delivery-status

            Reporting-MTA: dns; relay.sample.test

            Final-Recipient: rfc822; \(recipient)
            Action: \(action)
            Status: \(status)
            Diagnostic-Code: smtp; \(status.hasPrefix("5") ? "550" : "451") \(status) mailbox trouble

            \(originalPart)--b0undary--

            """
    }

    /// An RFC 5965 abuse report about the digest with Message-ID `original`.
    public static func complaint(about original: String, recipient: String, messageID: String) -> String {
        """
        From: <fbl@isp.sample.test>
        To: <digest@sample.israelhayom.test>
        Subject: Abuse report
        Date: Thu, 03 Dec 2026 08:00:00 +0000
        Message-ID: <\(messageID)>
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=feedback-report; boundary="arf"

        --arf
        Content-Type: text/plain

        An abuse report.

        --arf
        Content-Type: message/feedback-report

        Feedback-Type: abuse
        Version: 1
        Original-Rcpt-To: <\(recipient)>

        --arf
        Content-Type: message/rfc822

        From: Digest <digest@sample.israelhayom.test>
        To: \(recipient)
        Message-ID: <\(original)>

        --arf--

        """
    }
}
