import Mustache

extension DigestTemplates {
    /// These templates with the one named `name` (`partials/footer.html`) replaced: the web
    /// archive shows a digest with a footer that names no reader and carries no token.
    public func replacing(_ name: String, with text: String) throws(TemplateError) -> DigestTemplates {
        var library = self.library
        do {
            library.register(try MustacheTemplate(string: text), named: name)
        } catch {
            throw .syntax(file: name, line: 0, column: 0, reason: String(describing: error))
        }
        var sources = self.sources
        sources[name] = text
        return DigestTemplates(library: library, strings: strings, sources: sources)
    }
}
