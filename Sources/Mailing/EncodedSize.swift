/// A body part's size as it goes on the wire, both ways it could be encoded. Gmail clips a
/// message whose HTML passes about 102 KB as sent, so the list's HTML budget counts this,
/// not the decoded UTF-8 (quoted-printable makes a "65 KB" Hebrew part 73 KB or more).
public struct EncodedSize: Sendable, Hashable {
    public var quotedPrintable: Int
    public var base64: Int

    public init(quotedPrintable: Int, base64: Int) {
        self.quotedPrintable = quotedPrintable
        self.base64 = base64
    }

    /// Base64 only when strictly smaller, as `BodyEncoding.encode` chooses.
    public var isBase64: Bool { base64 < quotedPrintable }

    /// The bytes the part takes as sent.
    public var bytes: Int { isBase64 ? base64 : quotedPrintable }

    public static func + (lhs: EncodedSize, rhs: EncodedSize) -> EncodedSize {
        EncodedSize(quotedPrintable: lhs.quotedPrintable + rhs.quotedPrintable, base64: lhs.base64 + rhs.base64)
    }
}
