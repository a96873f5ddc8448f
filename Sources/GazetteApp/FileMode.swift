import Foundation

/// A file's permission bits, and who besides its owner they let in: what `gazette doctor`
/// warns about for the files holding secrets or subscribers' addresses.
public struct FileMode: Sendable, Hashable {
    public var bits: Int

    public init(_ bits: Int) { self.bits = bits & 0o7777 }

    /// The mode of the file at `path`, or nil when it cannot be read.
    public static func of(path: String) -> FileMode? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let number = attributes[.posixPermissions] as? NSNumber
        else { return nil }
        return FileMode(number.intValue)
    }

    /// `0640`
    public var octal: String { "0" + String(bits, radix: 8) }

    /// "group", "others" or "group and others" when they may read the file; nil when only its owner can.
    public var readableBeyondOwner: String? {
        switch (bits & 0o040 != 0, bits & 0o004 != 0) {
        case (true, true): "group and others"
        case (true, false): "group"
        case (false, true): "others"
        case (false, false): nil
        }
    }

    /// A warning for a file only its owner should read, or nil when it is private.
    public func exposure(of path: String, holding what: String) -> String? {
        guard let who = readableBeyondOwner else { return nil }
        return "\(path) is readable by \(who) (mode \(octal)) and \(what): chmod 600 \(path)"
    }
}
