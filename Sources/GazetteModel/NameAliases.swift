/// The config's `[aliases]`: section and tag names that mean the same thing, spelled one way.
///
/// Grouping already ignores case and spacing ("ISF" and "isf " are one tag); aliases cover
/// what differs in words ("Israel at War" → "Israel", "IDF" → "Israel Defense Forces").
/// The replacement is also the name shown.
public struct NameAliases: Sendable, Hashable {
    private var map: [String: String]

    public init(_ aliases: [String: String] = [:]) {
        map = Dictionary(aliases.map { (Self.key($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    public var isEmpty: Bool { map.isEmpty }

    public func name(_ name: String) -> String { map[Self.key(name)] ?? name }

    /// Each level renamed; neighbours made equal by a rename become one level.
    public func section(_ section: SectionPath) -> SectionPath {
        guard !map.isEmpty else { return section }
        var components: [String] = []
        for component in section.components.map(name) where components.last.map(Self.key) != Self.key(component) {
            components.append(component)
        }
        return SectionPath(components: components)
    }

    /// Tags renamed, repeats (after renaming) dropped.
    public func tags(_ tags: [String]) -> [String] {
        var seen = Set<String>()
        return tags.map(name).filter { seen.insert(Self.key($0)).inserted }
    }

    static func key(_ name: String) -> String {
        name.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
    }
}
