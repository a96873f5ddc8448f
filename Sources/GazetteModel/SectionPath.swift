import Foundation

/// Where an article sits in a site's hierarchy, outermost first: `News > Middle East > Peace Process`.
///
/// Sections are compared by their components, so "News > Middle East" contains
/// "News > Middle East > Peace Process" but not "News > Middle Eastern Affairs".
public struct SectionPath: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The separator used when a path is written as one string.
    public static let separator = " > "

    /// The path's parts, outermost first; never contains empty strings.
    public let components: [String]

    /// An article with no known section.
    public static let none = SectionPath(components: [])

    public init(components: [String]) {
        self.components = components
            .map { $0.trimmingWhitespace() }
            .filter { !$0.isEmpty }
    }

    /// Components already trimmed and non-empty (taken from another path).
    private init(trimmed components: ArraySlice<String>) {
        self.components = Array(components)
    }

    /// Parses "News > Middle East", also accepting `/`, `»` and `›` as separators, which
    /// sites use in breadcrumbs and category names.
    public init(parsing text: String) {
        let separators: Set<Character> = [">", "»", "›", "/"]
        self.init(components: text.split(whereSeparator: { separators.contains($0) }).map(String.init))
    }

    public var isEmpty: Bool { components.isEmpty }

    /// The last component ("Peace Process"), or nil for an empty path.
    public var leaf: String? { components.last }

    public var description: String { components.joined(separator: Self.separator) }

    /// The first `depth` components: the section an article is grouped under.
    public func truncated(toDepth depth: Int) -> SectionPath {
        depth >= components.count ? self : SectionPath(trimmed: components.prefix(max(depth, 0)))
    }

    /// True when `other` is this section or one of its subsections (case-insensitive).
    public func contains(_ other: SectionPath) -> Bool {
        guard !components.isEmpty, components.count <= other.components.count else { return false }
        return zip(components, other.components).allSatisfy { $0.caseInsensitiveCompare($1) == .orderedSame }
    }

    public static func < (lhs: SectionPath, rhs: SectionPath) -> Bool {
        lhs.components.lexicographicallyPrecedes(rhs.components)
    }
}

extension String {
    /// The string without leading and trailing whitespace and newlines.
    ///
    /// Most strings have none; those are returned as they are without a trip through
    /// Foundation, which a million-row import notices.
    package func trimmingWhitespace() -> String {
        guard let first = utf8.first, let last = utf8.last else { return self }
        // Bytes of 0x80 and up may start or end Unicode whitespace (U+00A0, U+2028…): the slow path checks.
        func mayBeSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) || byte >= 0x80 }
        guard mayBeSpace(first) || mayBeSpace(last) else { return self }
        return UntrustedText.trimmingWhitespace(self)
    }
}
