import Foundation
import Mustache

/// A digest's subject line from a Mustache template on its view model: the list's `subject`
/// setting, or its language's default ("Turkey pushes for role … and 4 more — Daily").
public enum DigestSubject {
    /// Checks a list's `subject` before anything is sent; the reason when it does not parse.
    public static func problem(in template: String) -> String? {
        do {
            _ = try MustacheTemplate(string: textPragma + template)
            return nil
        } catch let error as MustacheTemplate.ParserError {
            return "\(error.error) at column \(error.context.columnNumber)"
        } catch {
            return String(describing: error)
        }
    }

    /// The subject as one line: every run of white space made one space, ends trimmed. An
    /// empty result, or a template that does not parse, gives `fallback` (the list's title).
    static func render(_ template: String, model: DigestViewModel, fallback: String) -> String {
        guard let parsed = parsed(template) else { return fallback }
        let words = parsed.render(model).split(whereSeparator: { $0.isWhitespace })
        return words.isEmpty ? fallback : words.joined(separator: " ")
    }

    /// Plain text: a title's `&` stays `&` in the header.
    private static let textPragma = "{{%CONTENT_TYPE: TEXT}}"
    private static let cache = ParsedCache()

    private static func parsed(_ template: String) -> MustacheTemplate? {
        cache.template(template) { try? MustacheTemplate(string: textPragma + $0) }
    }

    /// Parsed subject templates by source: a delivery builds a view model per subscriber.
    private final class ParsedCache: @unchecked Sendable {
        private let lock = NSLock()
        private var templates: [String: MustacheTemplate] = [:]

        func template(_ source: String, parse: (String) -> MustacheTemplate?) -> MustacheTemplate? {
            lock.lock()
            defer { lock.unlock() }
            if let known = templates[source] { return known }
            guard let parsed = parse(source) else { return nil }
            if templates.count >= 64 { templates.removeAll() }
            templates[source] = parsed
            return parsed
        }
    }
}
