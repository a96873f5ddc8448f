import Foundation
import GazetteModel

/// How returned mail is read and acted on (`[bounces]`, `[delivery] return_path`).
public struct ReturnedMailSettings: Sendable, Hashable {
    /// The VERP base address (`bounces@news.example.org`): each digest's envelope sender
    /// becomes `bounces+<token>@news.example.org`. Nil: the list's sender address, as before.
    public var returnPath: String?
    /// A Maildir `gazette run` reads first, when set.
    public var maildir: String?
    public var rules: BounceRules
    /// Messages larger than this are skipped unread.
    public var maxMessageBytes: Int

    public init(
        returnPath: String? = nil, maildir: String? = nil, rules: BounceRules = BounceRules(), maxMessageBytes: Int = 10 << 20
    ) {
        self.returnPath = returnPath
        self.maildir = maildir
        self.rules = rules
        self.maxMessageBytes = maxMessageBytes
    }
}
