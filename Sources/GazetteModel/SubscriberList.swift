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
    /// Section depth at which articles are grouped: 2 groups "News > Middle East > Peace Process"
    /// under "News > Middle East".
    public var sectionDepth: Int

    public init(
        name: String, title: String, senderName: String, senderAddress: String,
        schedule: String = "daily 07:00", sectionDepth: Int = 2
    ) {
        self.name = name
        self.title = title
        self.senderName = senderName
        self.senderAddress = senderAddress
        self.schedule = schedule
        self.sectionDepth = sectionDepth
    }
}
