import GazetteModel

/// The bounds on what a subscriber's row may hold, and the cleaning it gets, wherever it comes
/// from (`subscribers add`, `update`, an import). Without them one CSV cell could make every
/// digest to that person megabytes long, or a stored escape sequence could drive the terminal
/// of whoever lists the subscribers later.
///
/// Control characters (C0 but tab, DEL, C1) and bidi overrides are removed, as from feeds
/// (`UntrustedText`); a field over its bound is refused with the reason, never cut.
public enum SubscriberFields {
    public static let maxNameLength = 200
    public static let maxTopicLength = 100
    public static let maxTopicsPerField = 50
    public static let maxListTitleLength = 200

    /// `request` with its name, sections and tags cleaned, or why it cannot be stored.
    public static func checked(_ request: NewSubscriber) -> Result<NewSubscriber, FieldProblem> {
        var request = request
        do throws(FieldProblem) {
            request.name = try name(request.name)
            request.sections = try sections(request.sections, field: "sections")
            request.mutedSections = try sections(request.mutedSections, field: "mute_sections")
            request.tags = try tags(request.tags, field: "tags")
            request.mutedTags = try tags(request.mutedTags, field: "mute_tags")
            return .success(request)
        } catch {
            return .failure(error)
        }
    }

    public static func name(_ text: String?) throws(FieldProblem) -> String? {
        guard let text else { return nil }
        let cleaned = UntrustedText.clean(text)
        if cleaned.count > maxNameLength {
            throw FieldProblem(reason: "the name has \(cleaned.count) characters; at most \(maxNameLength) are kept")
        }
        return cleaned.isEmpty ? nil : cleaned
    }

    public static func sections(_ paths: [SectionPath], field: String) throws(FieldProblem) -> [SectionPath] {
        try count(paths.count, field: field)
        var cleaned: [SectionPath] = []
        for path in paths {
            let components = path.components.map(UntrustedText.clean).filter { !$0.isEmpty }
            try length(components.joined(separator: SectionPath.separator), field: field)
            if !components.isEmpty { cleaned.append(SectionPath(components: components)) }
        }
        return cleaned
    }

    public static func tags(_ tags: [String], field: String) throws(FieldProblem) -> [String] {
        try count(tags.count, field: field)
        var cleaned: [String] = []
        // "#Turkey" is how people write a tag; the '#' is not part of its name.
        for tag in tags.map(UntrustedText.clean).map(Self.withoutHash) where !tag.isEmpty {
            try length(tag, field: field)
            cleaned.append(tag)
        }
        return cleaned
    }

    /// "#Turkey" → "Turkey" (and "##x" → "x"), trimmed.
    static func withoutHash(_ tag: String) -> String {
        String(tag.drop { $0 == "#" }).trimmingWhitespace()
    }

    /// A list's title, cleaned, or why not.
    public static func listTitle(_ title: String) throws(FieldProblem) -> String {
        let cleaned = UntrustedText.clean(title)
        if cleaned.count > maxListTitleLength {
            throw FieldProblem(reason: "the list title has \(cleaned.count) characters; at most \(maxListTitleLength) are kept")
        }
        return cleaned
    }

    private static func count(_ count: Int, field: String) throws(FieldProblem) {
        if count > maxTopicsPerField {
            throw FieldProblem(reason: "\(field) names \(count) entries; at most \(maxTopicsPerField) are kept")
        }
    }

    private static func length(_ text: String, field: String) throws(FieldProblem) {
        if text.count > maxTopicLength {
            throw FieldProblem(reason: "an entry in \(field) has \(text.count) characters; at most \(maxTopicLength) are kept")
        }
    }

    /// Why a field cannot be stored, as one line.
    public struct FieldProblem: Error, Sendable, Hashable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }
}
