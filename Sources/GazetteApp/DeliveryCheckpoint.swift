/// The moments of one digest's delivery at which the process can die, named so that tests
/// can stop it at exactly one of them and check what the next run does (ADR 0004).
///
/// `AppEnvironment.checkpoint` is told each one as it passes; the live environment does
/// nothing with them unless `GAZETTE_TEST_KILL_AT` asks it to kill the process there.
public enum DeliveryCheckpoint: String, Sendable, CaseIterable {
    /// The digest is built and rendered; no ledger row claimed yet.
    case beforeClaim = "before-claim"
    /// The ledger row is committed as pending; nothing sent yet.
    case afterClaim = "after-claim"
    /// SMTP: all but the last byte of DATA is written; the hand-over is not yet recorded.
    case midData = "mid-data"
    /// SMTP: the hand-over is committed; the last byte and the final `.` are not yet written.
    case handedOver = "handed-over"
    /// The server accepted the message (250); the ledger does not know yet.
    case afterReply = "after-reply"
    /// A batch of accepted messages' `sent` marks is about to be committed; the ledger still
    /// has every one of them as pending (`DigestDelivery.SentMarks`).
    case beforeSentCommit = "before-sent-commit"
}
