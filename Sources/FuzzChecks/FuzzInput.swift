import Foundation

/// Turning one fuzz input into several values.
enum FuzzInput {
    /// The input cut at each 0xFF byte. 0xFF never occurs in UTF-8, so text fields lose
    /// nothing a real name or subject could hold, and the fuzzer finds the separator fast.
    static func fields(_ data: Data, count: Int) -> [String] {
        var parts = data.split(separator: 0xFF, maxSplits: count - 1, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        while parts.count < count { parts.append("") }
        return parts
    }
}

/// Character checks shared by the invariants.
enum TextChecks {
    /// A C0 control (other than the ones `allowing` names) or a bidi embedding/override
    /// (U+202A–U+202E): what untrusted text must never carry into storage or a message.
    static func forbiddenScalar(in text: String, allowing allowed: Set<Unicode.Scalar> = []) -> Unicode.Scalar? {
        text.unicodeScalars.first { scalar in
            if allowed.contains(scalar) { return false }
            return scalar.value < 0x20 || scalar.value == 0x7F || (0x202A...0x202E).contains(scalar.value)
        }
    }

    static func describe(_ scalar: Unicode.Scalar) -> String {
        "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
    }

    /// A short, printable excerpt of `text` for a violation message.
    static func excerpt(_ text: String) -> String {
        let short = text.count > 80 ? String(text.prefix(80)) + "…" : text
        return short.debugDescription
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
