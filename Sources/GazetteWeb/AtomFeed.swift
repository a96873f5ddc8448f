import Foundation

/// An Atom feed (RFC 4287) of a list's archived editions, so readers can follow the archive
/// in a feed reader. Built as text: a handful of elements, every value escaped.
struct AtomFeed {
    struct Entry {
        var title: String
        var url: String
        var updated: Date
    }

    var title: String
    var author: String
    var selfURL: String
    var pageURL: String
    var entries: [Entry]

    var xml: String {
        let updated = entries.map(\.updated).max() ?? Date(timeIntervalSince1970: 0)
        var out = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
            <title>\(HTML.escape(title))</title>
            <id>\(HTML.escape(pageURL))</id>
            <link rel="self" type="application/atom+xml" href="\(HTML.escape(selfURL))"/>
            <link rel="alternate" type="text/html" href="\(HTML.escape(pageURL))"/>
            <updated>\(Self.timestamp(updated))</updated>
            <author><name>\(HTML.escape(author))</name></author>

            """
        for entry in entries {
            out += """
                <entry>
                <title>\(HTML.escape(entry.title))</title>
                <id>\(HTML.escape(entry.url))</id>
                <link rel="alternate" type="text/html" href="\(HTML.escape(entry.url))"/>
                <updated>\(Self.timestamp(entry.updated))</updated>
                </entry>

                """
        }
        return out + "</feed>\n"
    }

    static func timestamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
