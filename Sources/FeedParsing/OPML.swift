import Foundation

/// OPML 2.0 subscription lists, the format feed readers (newsboat, Miniflux, rss2email,
/// NetNewsWire…) import and export: `<outline type="rss" xmlUrl=…>` elements, nested in
/// outlines that act as folders.
public enum OPML {
    /// One feed of a subscription list.
    public struct Feed: Sendable, Hashable {
        /// The outline's `text` (or `title`): the feed's name as the reader showed it.
        public var title: String
        public var feedURL: String
        /// The site's home page (`htmlUrl`), when given.
        public var siteURL: String?
        /// The folders the outline sits in, outermost first ("News", "World").
        public var folders: [String]

        public init(title: String, feedURL: String, siteURL: String? = nil, folders: [String] = []) {
            self.title = title
            self.feedURL = feedURL
            self.siteURL = siteURL
            self.folders = folders
        }
    }

    /// What went wrong reading an OPML file.
    public enum ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        case notXML(line: Int, reason: String)
        case notOPML(root: String)

        public var description: String {
            switch self {
            case .notXML(let line, let reason): "not well-formed XML at line \(line): \(reason)"
            case .notOPML(let root): "not an OPML file: its root element is <\(root)>, not <opml>"
            }
        }
    }

    /// The feeds of an OPML document, in document order. Outlines without `xmlUrl` are
    /// folders; a feed listed twice (same address) is kept once, in its first folder.
    public static func feeds(in data: Data) throws(ReadError) -> [Feed] {
        let tree: XMLTree
        do {
            tree = try XMLTree.parseXML(data, baseURL: nil)
        } catch {
            if case .notWellFormed(let line, let reason) = error { throw .notXML(line: line, reason: reason) }
            throw .notXML(line: 0, reason: error.description)
        }
        guard let root = tree.root, root.name.lowercased() == "opml" else { throw .notOPML(root: tree.root?.name ?? "") }
        var feeds: [Feed] = []
        var seen = Set<String>()
        func walk(_ node: XMLNode, folders: [String], depth: Int) {
            guard depth < 64 else { return }
            for outline in node.children where outline.name.lowercased() == "outline" {
                let title = (outline.attribute("text") ?? outline.attribute("title") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                if let url = (outline.attribute("xmlUrl") ?? outline.attribute("xmlurl"))?.trimmingCharacters(in: .whitespacesAndNewlines),
                    !url.isEmpty
                {
                    if seen.insert(url).inserted {
                        let site = outline.attribute("htmlUrl")?.trimmingCharacters(in: .whitespacesAndNewlines)
                        feeds.append(Feed(title: title, feedURL: url, siteURL: site?.isEmpty == false ? site : nil, folders: folders))
                    }
                } else {
                    walk(outline, folders: title.isEmpty ? folders : folders + [title], depth: depth + 1)
                }
            }
        }
        if let body = root.children.first(where: { $0.name.lowercased() == "body" }) { walk(body, folders: [], depth: 0) }
        return feeds
    }

    /// An OPML 2.0 document listing `feeds`, each in its folder outline.
    public static func document(title: String, feeds: [Feed], created: Date) -> String {
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<opml version=\"2.0\">",
            "  <head>",
            "    <title>\(escape(title))</title>",
            "    <dateCreated>\(rfc822(created))</dateCreated>",
            "  </head>",
            "  <body>",
        ]
        var open: [String] = []
        for feed in feeds {
            let shared = zip(open, feed.folders).prefix { $0 == $1 }.count
            while open.count > shared {
                open.removeLast()
                lines.append(String(repeating: "  ", count: open.count + 2) + "</outline>")
            }
            for folder in feed.folders.dropFirst(shared) {
                lines.append(String(repeating: "  ", count: open.count + 2) + "<outline text=\"\(escape(folder))\">")
                open.append(folder)
            }
            var attributes = "type=\"rss\" text=\"\(escape(feed.title))\" title=\"\(escape(feed.title))\" xmlUrl=\"\(escape(feed.feedURL))\""
            if let site = feed.siteURL { attributes += " htmlUrl=\"\(escape(site))\"" }
            lines.append(String(repeating: "  ", count: open.count + 2) + "<outline \(attributes)/>")
        }
        while !open.isEmpty {
            open.removeLast()
            lines.append(String(repeating: "  ", count: open.count + 2) + "</outline>")
        }
        lines += ["  </body>", "</opml>"]
        return lines.joined(separator: "\n") + "\n"
    }

    private static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\n", "\r", "\t": result += " "
            case _ where scalar.value < 0x20: break
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func rfc822(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
