/// `[report]`: a plain-text mail to whoever runs Gazette when sources keep failing, so a
/// dead feed is noticed even when nobody reads cron's output.
public struct OperatorReportSettings: Sendable, Hashable {
    /// The operator's address.
    public var to: String
    /// The sender; the first list's `sender_address` unless set.
    public var from: String
    /// A source is reported once it has failed this many runs in a row (also the threshold
    /// the run summary and `gazette sources` flag at).
    public var afterFailures: Int

    public init(to: String, from: String, afterFailures: Int = 3) {
        self.to = to
        self.from = from
        self.afterFailures = afterFailures
    }
}
