/// A subscriber command that cannot be carried out as asked.
public enum AdminError: Error, Sendable, Equatable, CustomStringConvertible {
    case noSuchSubscriber(String)
    case notInList(email: String, list: String)
    case invalidAddress(String)
    case csv(file: String, problems: [String])

    public var description: String {
        switch self {
        case .noSuchSubscriber(let email):
            "no subscriber with the address \(email); see `gazette subscribers list`"
        case .notInList(let email, let list):
            "\(email) is not subscribed to the list '\(list)'"
        case .invalidAddress(let reason):
            reason
        case .csv(let file, let problems):
            "\(file): " + problems.joined(separator: "; ")
        }
    }
}
