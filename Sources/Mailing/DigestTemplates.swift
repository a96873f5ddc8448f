import Foundation
import Mustache

/// The digest templates, parsed once: the embedded defaults, overridden file by file by a
/// user's templates folder.
///
/// Names are paths below the folder without `.mustache`: `digest.html`, `digest.txt`,
/// `partials/article.html`. Both top-level templates must exist after overriding. The
/// folder's `strings/<language>.toml` files add languages or change built-in strings
/// (`DigestStrings`).
public struct DigestTemplates: Sendable {
    public static let htmlTemplate = "digest.html"
    public static let textTemplate = "digest.txt"

    let library: MustacheLibrary
    /// The strings of every language, built in or added, each filled from English.
    public let strings: [String: DigestStrings]
    /// Each template's text, by name, as parsed into `library`.
    let sources: [String: String]
    /// How the article partials can be rendered once per edition (`ArticleBlocks`); nil when
    /// these templates do not allow it.
    let blockPlan: ArticleBlocks.Plan?
    /// Whether any template applies a transform (`{{uppercased(reader.name)}}`), or changes
    /// its delimiters so that this cannot be told: `DigestMessageTemplate` then checks its
    /// splicing with a second rendering.
    let usesTransforms: Bool

    init(library: MustacheLibrary, strings: [String: DigestStrings], sources: [String: String]) {
        self.library = library
        self.strings = strings
        self.sources = sources
        blockPlan = ArticleBlocks.Plan(sources: sources, library: library)
        usesTransforms = sources.values.contains(where: Self.mayTransform)
    }

    /// True when a tag of `text` holds a parenthesis (swift-mustache's transform syntax), or
    /// the text changes delimiters.
    static func mayTransform(_ text: String) -> Bool {
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            if rest.hasPrefix("=") { return true }
            guard let close = rest.range(of: "}}") else { return false }
            if rest[..<close.lowerBound].contains(where: { $0 == "(" || $0 == ")" }) { return true }
            rest = rest[close.upperBound...]
        }
        return false
    }

    /// Loads the embedded defaults, then every `*.mustache` file under `overrideDirectory`
    /// and its `strings/*.toml`.
    /// - Throws: `TemplateError` naming the file and line of the first bad template.
    public static func load(overrideDirectory: String? = nil) throws(TemplateError) -> DigestTemplates {
        var sources = DefaultTemplates.files
        var strings = DigestStrings.builtIn
        if let overrideDirectory {
            for (name, text) in try readFolder(overrideDirectory) { sources[name] = text }
            for (language, own) in try readStrings(overrideDirectory) {
                strings[language] = own.filling(from: strings[language] ?? DigestStrings.english).filling(from: DigestStrings.english)
            }
        }
        var library = MustacheLibrary()
        for (name, text) in sources.sorted(by: { $0.key < $1.key }) {
            do {
                library.register(try MustacheTemplate(string: text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                let file = overrideDirectory.map { "\($0)/\(name).mustache" } ?? "templates/\(name).mustache (built in)"
                throw .syntax(file: file, line: error.context.lineNumber, column: error.context.columnNumber,
                    reason: String(describing: error.error))
            } catch {
                throw .syntax(file: name, line: 0, column: 0, reason: String(describing: error))
            }
        }
        for required in [htmlTemplate, textTemplate] where library.getTemplate(named: required) == nil {
            throw .missing(name: required + ".mustache")
        }
        return DigestTemplates(library: library, strings: strings, sources: sources)
    }

    /// The strings for `language` (the file "he" serves "he-IL" when there is no "he-IL");
    /// nil when there is no strings file for it.
    public func strings(for language: String) -> DigestStrings? {
        strings[language] ?? strings[PluralCategory.primarySubtag(of: language)]
    }

    /// Renders both parts of a digest.
    public func render(_ model: DigestViewModel) throws(TemplateError) -> RenderedDigest {
        let (text, html) = try renderUnwrapped(model)
        return RenderedDigest(text: TextWrapper.wrap(text, width: Self.textWidth), html: html)
    }

    /// The HTML part's size as sent (transfer-encoded), which the list's HTML budget limits.
    /// - Parameter blocks: the edition's article blocks, when the caller has them: the same
    ///   bytes, rendered faster.
    public func htmlEncodedSize(_ model: DigestViewModel, blocks: ArticleBlocks? = nil) throws(TemplateError) -> EncodedSize {
        if let size = blocks?.htmlEncodedSize(model) { return size }
        guard let html = blocks?.html(model) ?? library.render(model, withTemplate: Self.htmlTemplate) else {
            throw .missing(name: Self.htmlTemplate)
        }
        return RenderedDigest.encodedSize(of: html)
    }

    /// The width the text part is wrapped to.
    static let textWidth = 72

    /// Both parts as the templates give them, the text not yet wrapped.
    func renderUnwrapped(_ model: DigestViewModel) throws(TemplateError) -> (text: String, html: String) {
        guard let html = library.render(model, withTemplate: Self.htmlTemplate),
            let text = library.render(model.isolatedForText, withTemplate: Self.textTemplate)
        else { throw .missing(name: Self.htmlTemplate) }
        return (text, html)
    }

    private static func readFolder(_ directory: String) throws(TemplateError) -> [String: String] {
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        // A mistyped folder would otherwise leave every built-in template in place unnoticed.
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder), isFolder.boolValue,
            let enumerator = FileManager.default.enumerator(atPath: root.path)
        else {
            throw .unreadableFolder(path: directory)
        }
        var files: [String: String] = [:]
        for case let relative as String in enumerator where relative.hasSuffix(".mustache") {
            let url = root.appendingPathComponent(relative)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw .unreadableFile(path: url.path)
            }
            let name = String(relative.dropLast(".mustache".count))
            // A misnamed file (`digest.htm.mustache`, `partial/article.html.mustache`) would be
            // ignored while the built-in one is used; say so instead.
            guard DefaultTemplates.files[name] != nil else {
                throw .unknownFile(path: url.path, known: DefaultTemplates.files.keys.sorted().map { $0 + ".mustache" })
            }
            files[name] = text
        }
        return files
    }
}

extension DigestTemplates {
    /// The languages a templates folder adds or changes: `strings/<language>.toml`.
    public static func languages(inFolder directory: String) -> [String] {
        let folder = URL(fileURLWithPath: directory, isDirectory: true).appendingPathComponent("strings")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(".toml".count)) }.sorted()
    }

    /// A strings file's name without `.toml` is its language: "he", "pt-BR".
    public static func isLanguageCode(_ code: String) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return parts.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }

    static func readStrings(_ directory: String) throws(TemplateError) -> [String: DigestStrings] {
        var result: [String: DigestStrings] = [:]
        for language in languages(inFolder: directory) {
            let path = URL(fileURLWithPath: directory, isDirectory: true).appendingPathComponent("strings/\(language).toml").path
            guard isLanguageCode(language) else {
                throw .strings(file: path, line: 0, reason: "name the file by a language code, as in strings/he.toml or strings/pt-BR.toml")
            }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw .unreadableFile(path: path) }
            result[language] = try DigestStrings.parse(text, language: language, file: path)
        }
        return result
    }
}

/// The two bodies of a digest email.
public struct RenderedDigest: Sendable, Hashable {
    public var text: String
    public var html: String

    /// The HTML part's size as sent: the HTML budget's measure.
    public var htmlEncodedSize: EncodedSize { Self.encodedSize(of: html) }

    static func encodedSize(of body: String) -> EncodedSize { BodyEncoding.encodedSize(body) }
}

/// A template that cannot be used; reported before anything is sent.
public enum TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    case syntax(file: String, line: Int, column: Int, reason: String)
    case missing(name: String)
    case unreadableFolder(path: String)
    case unreadableFile(path: String)
    /// A file in the templates folder whose name is not one of the templates Gazette uses.
    case unknownFile(path: String, known: [String])
    /// A strings file (`strings/<language>.toml`) that cannot be read.
    case strings(file: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .syntax(let file, let line, let column, let reason):
            "template \(file), line \(line), column \(column): \(reason)"
        case .missing(let name):
            "template \(name) is missing; restore it or remove the templates setting to use the built-in one"
        case .unreadableFolder(let path):
            "templates folder \(path) does not exist or cannot be read; check the path in the config or --templates"
        case .unreadableFile(let path):
            "template \(path) cannot be read as UTF-8 text"
        case .unknownFile(let path, let known):
            "template \(path) is not one Gazette uses; name it as one of \(known.joined(separator: ", "))"
        case .strings(let file, let line, let reason):
            "strings file \(file)\(line > 0 ? ", line \(line)" : ""): \(reason)"
        }
    }
}
