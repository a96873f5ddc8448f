import Foundation

/// Checks an email address the way mail systems will treat it, before it is stored or used.
///
/// Accepted: dot-atom local parts (plus-addressing included) at a domain of two or more
/// labels. Refused on purpose: quoted local parts (`"a b"@x.org`), which few systems deliver,
/// IP-literal domains, and anything with spaces, control characters or a display name.
///
/// International domains are stored as IDNA A-labels (`dana@bücher.de` becomes
/// `dana@xn--bcher-kva.de`), which every mail system accepts without SMTPUTF8; the
/// conversion (UTS #46 mapping, then RFC 3492 Punycode) is Foundation's own URL host
/// parser, so no encoder of ours is needed. Non-ASCII local parts are refused: they need
/// SMTPUTF8, which Gazette does not send.
public enum EmailAddress {
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case empty
        case noAt(String)
        case badLocalPart(String, reason: String)
        case badDomain(String, reason: String)

        public var description: String {
            switch self {
            case .empty: "the address is empty"
            case .noAt(let address): "'\(address)' is not an email address (no '@')"
            case .badLocalPart(let address, let reason): "'\(address)': the part before '@' \(reason)"
            case .badDomain(let address, let reason): "'\(address)': the domain \(reason)"
            }
        }
    }

    /// Characters RFC 5322 allows unquoted in a local part, besides letters and digits.
    private static let atextSymbols = Set("!#$%&'*+-/=?^_`{|}~.".utf8)

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// An ASCII letter, digit, dot or RFC 5322 atext symbol.
    private static func isLocalByte(_ byte: UInt8) -> Bool { isAlphanumeric(byte) || atextSymbols.contains(byte) }

    /// An ASCII letter, digit or hyphen (international domains are converted to IDNA first).
    private static func isDomainByte(_ byte: UInt8) -> Bool { isAlphanumeric(byte) || byte == UInt8(ascii: "-") }

    /// The address trimmed, or the reason it cannot be delivered to.
    public static func validate(_ input: String) -> Result<String, Problem> {
        let address = input.trimmingWhitespace()
        guard !address.isEmpty else { return .failure(.empty) }
        // An ASCII address (nearly all) is searched by byte; others by character, as before.
        let ascii = address.utf8.allSatisfy { $0 < 0x80 }
        let lastAt = ascii ? address.utf8.lastIndex(of: UInt8(ascii: "@")) : address.lastIndex(of: "@")
        guard let at = lastAt else { return .failure(.noAt(address)) }
        let local = address[..<at]
        var domain = address[address.index(after: at)...]
        var converted = false

        if local.isEmpty { return .failure(.badLocalPart(address, reason: "is empty")) }
        if local.utf8.count > 64 { return .failure(.badLocalPart(address, reason: "is longer than 64 bytes")) }
        if local.hasPrefix("\"") { return .failure(.badLocalPart(address, reason: "is quoted, which Gazette does not accept")) }
        let doubleDot = zip(local.utf8, local.utf8.dropFirst()).contains { $0 == 0x2E && $1 == 0x2E }
        if local.hasPrefix(".") || local.hasSuffix(".") || doubleDot {
            return .failure(.badLocalPart(address, reason: "has a misplaced dot"))
        }
        // Checked byte by byte (a million-row import validates a million addresses); only a
        // refusal looks for the offending character.
        if let bad = local.utf8.firstIndex(where: { !isLocalByte($0) }) {
            return .failure(.badLocalPart(address, reason: "contains '\(address[bad...].first.map(String.init) ?? "?")'"))
        }

        if domain.isEmpty { return .failure(.badDomain(address, reason: "is empty")) }
        if !(ascii || domain.utf8.allSatisfy { $0 < 0x80 }) {
            guard let ascii = idnaASCII(String(domain)) else {
                return .failure(.badDomain(address, reason: "is not a valid international domain name"))
            }
            domain = Substring(ascii)
            converted = true
        }
        if domain.utf8.count > 253 { return .failure(.badDomain(address, reason: "is longer than 253 bytes")) }
        let labels = domain.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if labels.count < 2 { return .failure(.badDomain(address, reason: "needs at least one dot, as in example.org")) }
        for label in labels {
            if label.isEmpty { return .failure(.badDomain(address, reason: "has an empty label")) }
            if label.count > 63 { return .failure(.badDomain(address, reason: "has a label longer than 63 bytes")) }
            if label.first == UInt8(ascii: "-") || label.last == UInt8(ascii: "-") {
                return .failure(.badDomain(address, reason: "has a label that starts or ends with '-'"))
            }
            if let bad = label.firstIndex(where: { !isDomainByte($0) }) {
                return .failure(.badDomain(address, reason: "contains '\(domain[bad...].first.map(String.init) ?? "?")'"))
            }
        }
        if labels.last?.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) == true {
            return .failure(.badDomain(address, reason: "ends in a number; IP addresses are not accepted"))
        }
        return .success(converted ? String(local) + "@" + domain : address)
    }

    /// Whether `validate` accepts these bytes as they are: an ASCII address with nothing to
    /// trim and nothing to convert, checked without making a `String` (an import checks a
    /// million). False does not mean invalid, only that `validate` must decide.
    public static func isValidAsIs(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return false }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        let dot = UInt8(ascii: ".")
        guard !local.isEmpty, local.count <= 64, local.first != dot, local.last != dot else { return false }
        var previous: UInt8 = 0
        for byte in local {
            guard isLocalByte(byte), byte != dot || previous != dot else { return false }
            previous = byte
        }
        guard domain.count <= 253 else { return false }
        var labels = 0
        var labelStart = domain.startIndex
        var allDigits = true
        for position in domain.startIndex...domain.endIndex {
            guard position == domain.endIndex || bytes[position] == dot else { continue }
            let label = bytes[labelStart..<position]
            guard !label.isEmpty, label.count <= 63, label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-")
            else { return false }
            allDigits = true
            for byte in label {
                guard isDomainByte(byte) else { return false }
                if !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { allDigits = false }
            }
            labels += 1
            labelStart = position + 1
        }
        return labels >= 2 && !allDigits
    }

    /// The IDNA ASCII form of an international domain ("bücher.de" → "xn--bcher-kva.de"), or
    /// nil when it cannot be one (spaces, symbols, a label IDNA refuses).
    static func idnaASCII(_ domain: String) -> String? {
        guard !domain.contains(where: { $0.isWhitespace || "/?#@:[]%\\".contains($0) }),
            let host = URL(string: "http://\(domain)/")?.host, host.allSatisfy(\.isASCII), !host.contains("%")
        else { return nil }
        return host
    }
}
