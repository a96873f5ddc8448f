/// The moments of one digest's delivery (and of a subscriber import) at which the process can
/// die, named so that tests can stop it at exactly one of them and check what the next run
/// does (ADR 0004).
///
/// `AppEnvironment.checkpoint` is told each one as it passes; the live environment does
/// nothing with them unless `GAZETTE_TEST_KILL_AT` asks it to kill the process there.
public enum DeliveryCheckpoint: String, Sendable, CaseIterable {
    /// The subscriber's digest is built and about to be made into their message (trimmed and
    /// rendered, or a shared rendering reused); no ledger row claimed yet. Once sending has
    /// stopped (a failure that would recur for every message), the remaining subscribers'
    /// rows are claimed without their messages being made, so they never pass here.
    case beforeRender = "before-render"
    /// The digest is built (and rendered, unless sending has stopped); no ledger row claimed yet.
    case beforeClaim = "before-claim"
    /// The ledger row is committed as pending; nothing sent yet.
    case afterClaim = "after-claim"
    /// SMTP: all but the last line break of DATA is written; the hand-over is not yet recorded.
    case midData = "mid-data"
    /// SMTP: the hand-over is committed; the last line break and the final `.` are not yet written.
    case handedOver = "handed-over"
    /// The server accepted the message (250); the ledger does not know yet.
    case afterReply = "after-reply"
    /// A batch of accepted messages' `sent` marks is about to be committed; the ledger still
    /// has every one of them as pending (`DigestDelivery.SentMarks`).
    case beforeSentCommit = "before-sent-commit"
    /// `subscribers import`: another `importRowsStep` rows are read into the open transaction.
    case importRows = "import-rows"
    /// `subscribers import`: every row is read; the transaction is not yet committed.
    case beforeImportCommit = "before-import-commit"
    /// `subscribers import`: the transaction is committed.
    case afterImportCommit = "after-import-commit"

    /// How many rows an import reads between two `importRows`.
    public static let importRowsStep = 1_000
}
