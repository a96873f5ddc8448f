/// One finding of `gazette doctor`: how it went, what it was about, and what to do.
public struct DoctorCheck: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Comparable {
        case ok, warn, fail

        public static func < (a: Status, b: Status) -> Bool {
            let order: [Status] = [.ok, .warn, .fail]
            return order.firstIndex(of: a)! < order.firstIndex(of: b)!
        }
    }

    public var status: Status
    /// What was checked: `config`, `database`, `smtp`, `source news`…
    public var subject: String
    /// What was found and, for a warning or a failure, what to do about it. Never a secret.
    public var message: String

    public init(_ status: Status, _ subject: String, _ message: String) {
        self.status = status
        self.subject = subject
        self.message = message
    }
}
