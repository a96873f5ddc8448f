import Foundation
import Mustache

/// The digest templates, parsed once: the embedded defaults, overridden file by file by a
/// user's templates folder.
///
/// Names are paths below the folder without `.mustache`: `digest.html`, `digest.txt`,
/// `partials/article.html`. Both top-level templates must exist after overriding.
public struct DigestTemplates: Sendable {
    public static let htmlTemplate = "digest.html"
    public static let textTemplate = "digest.txt"

    let library: MustacheLibrary

    /// Loads the embedded defaults, then every `*.mustache` file under `overrideDirectory`.
    /// - Throws: `TemplateError` naming the file and line of the first bad template.
    public static func load(overrideDirectory: String? = nil) throws(TemplateError) -> DigestTemplates {
        var sources = DefaultTemplates.files
        if let overrideDirectory {
            for (name, text) in try readFolder(overrideDirectory) { sources[name] = text }
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
        return DigestTemplates(library: library)
    }

    /// Renders both parts of a digest.
    public func render(_ model: DigestViewModel) throws(TemplateError) -> RenderedDigest {
        let (text, html) = try renderUnwrapped(model)
        return RenderedDigest(text: TextWrapper.wrap(text, width: Self.textWidth), html: html)
    }

    /// The UTF-8 bytes of the HTML part alone, which the list's HTML budget limits.
    public func htmlByteCount(_ model: DigestViewModel) throws(TemplateError) -> Int {
        guard let html = library.render(model, withTemplate: Self.htmlTemplate) else { throw .missing(name: Self.htmlTemplate) }
        return html.utf8.count
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

/// The two bodies of a digest email.
public struct RenderedDigest: Sendable, Hashable {
    public var text: String
    public var html: String
}

/// A template that cannot be used; reported before anything is sent.
public enum TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    case syntax(file: String, line: Int, column: Int, reason: String)
    case missing(name: String)
    case unreadableFolder(path: String)
    case unreadableFile(path: String)
    /// A file in the templates folder whose name is not one of the templates Gazette uses.
    case unknownFile(path: String, known: [String])

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
        }
    }
}
