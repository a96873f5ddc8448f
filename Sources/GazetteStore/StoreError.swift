/// A store operation that cannot be done as asked. Descriptions are one line for the user.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case duplicateSubscriber(email: String)
    case subscriberNotFound(email: String)
    case sourceNotFound(name: String)
    case articleNotFound(id: Int64)
    /// SQLite cannot read the file: not a database, damaged, or not readable by this user.
    case unusableDatabase(path: String, reason: String)
    /// A command that reads the database found no file: it never creates one.
    case missingDatabase(path: String)
    case duplicateList(name: String)
    case listNotFound(name: String)
    /// A list is only removed once nobody is on it, so no subscriber silently stops getting mail.
    case listHasMembers(name: String, count: Int)

    public var description: String {
        switch self {
        case .duplicateSubscriber(let email):
            "\(email) is already a subscriber (addresses are compared without regard to case)"
        case .subscriberNotFound(let email):
            "no subscriber with the address \(email)"
        case .sourceNotFound(let name):
            "no source named '\(name)' in the database; run `gazette fetch` after adding it to the config"
        case .articleNotFound(let id):
            "no article with id \(id) (was it pruned meanwhile?)"
        case .unusableDatabase(let path, let reason):
            "cannot use the database \(path): \(reason)"
        case .missingDatabase(let path):
            "there is no database at \(path); run `gazette init` or check --database"
        case .duplicateList(let name):
            "a list named '\(name)' already exists; see `gazette lists list`"
        case .listNotFound(let name):
            "no list named '\(name)' in the database; see `gazette lists list`"
        case .listHasMembers(let name, let count):
            "the list '\(name)' still has \(count) subscriber(s); move or unsubscribe them first "
                + "(`gazette subscribers list --list \(name)`)"
        }
    }
}
