import Mailing

/// Escaping for text placed in HTML, inside elements and inside quoted attributes: the
/// digest's own escaper, so the pages and the mail agree.
enum HTML {
    static func escape(_ text: String) -> String { HTMLEscaping.escape(text) }
}
