/// How far a long step has got, for a progress bar: `done` of `total` in `phase`, the last
/// one being `item`. The use cases report; only the CLI decides whether anyone sees it.
public struct ProgressUpdate: Sendable, Hashable {
    /// "Fetching", "Sending daily"…
    public var phase: String
    public var done: Int
    public var total: Int
    /// The source or recipient just handled.
    public var item: String

    public init(phase: String, done: Int, total: Int, item: String = "") {
        self.phase = phase
        self.done = done
        self.total = total
        self.item = item
    }
}
