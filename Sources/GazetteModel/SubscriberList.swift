/// A mailing list: one digest, its sender, and when it goes out.
public struct SubscriberList: Sendable, Hashable, Codable {
    /// A short unique name used on the command line ("daily").
    public var name: String
    /// The human title shown in the subject and the email ("Israel Hayom Daily").
    public var title: String
    public var senderName: String
    public var senderAddress: String
    /// When the list goes out, as written in the config ("daily 07:00").
    public var schedule: String
    /// How digests of this list select, order and limit articles.
    public var rules: DigestRules
    /// An https endpoint for one-click unsubscribe, with `{token}` where the signed token goes.
    public var unsubscribeURLTemplate: String?
    /// A page where subscribers choose what they follow, with `{token}`.
    public var preferencesURLTemplate: String?
    /// Double opt-in: a subscriber added to this list stays `pending` until they confirm
    /// through the signed token mailed to them (`gazette subscribers confirm TOKEN`).
    public var doubleOptIn: Bool = false
    /// An https endpoint that confirms a subscription, with `{token}`; without one the
    /// confirmation mail asks the reader to reply with the token.
    public var confirmURLTemplate: String?
    /// The language of the digest's own words, dates and direction: a strings file's name
    /// ("en", "he"; `templates/strings/`).
    public var language: String = "en"
    /// The subject line as a Mustache template on the digest's fields; nil for the
    /// language's default ("{{leadStory}} and 4 more — {{list.title}}").
    public var subjectTemplate: String?

    public init(
        name: String, title: String, senderName: String, senderAddress: String,
        schedule: String = "daily 07:00", sectionDepth: Int = 2, unsubscribeURLTemplate: String? = nil,
        preferencesURLTemplate: String? = nil, rules: DigestRules = DigestRules()
    ) {
        self.rules = rules
        self.rules.sectionDepth = sectionDepth
        self.unsubscribeURLTemplate = unsubscribeURLTemplate
        self.preferencesURLTemplate = preferencesURLTemplate
        self.name = name
        self.title = title
        self.senderName = senderName
        self.senderAddress = senderAddress
        self.schedule = schedule
    }

    /// Section depth at which articles are grouped (`rules.sectionDepth`).
    public var sectionDepth: Int { rules.sectionDepth }
}

extension SubscriberList {
    /// Whether `name` can name a list: it is typed on the command line, so an ASCII letter or
    /// digit, then letters, digits, '.', '-' or '_'. Checked by byte: the regular expression
    /// it replaces let a final line break through and was compiled on every start.
    public static func isValidName(_ name: String) -> Bool {
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard let first = name.utf8.first, isAlphanumeric(first) else { return false }
        return name.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }
}
