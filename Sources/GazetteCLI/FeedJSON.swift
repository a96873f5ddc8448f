import FeedParsing
import Foundation

/// `parse-feed`'s output shapes.
///
/// The JSON line is written straight from the `ParsedFeed` into bytes, in the shape a
/// `JSONValue` of it would write (`JSONValueTests` checks the two agree): building that value
/// first made an enum, an array of members and a string per field of every entry, only to
/// walk them once and throw them away.
enum FeedJSON {
    /// One JSON object: {"format", "feed", "entries", "warnings"}.
    static func write(_ feed: ParsedFeed, to output: inout [UInt8]) {
        output.append(contentsOf: #"{"format": "#.utf8)
        JSONValue.write(string: feed.format.rawValue, to: &output)
        output.append(contentsOf: #", "feed": {"title": "#.utf8)
        JSONValue.write(string: feed.title, to: &output)
        member("link", optional: feed.siteURL, to: &output)
        member("subtitle", optional: feed.subtitle, to: &output)
        member("language", optional: feed.language, to: &output)
        member("updated", time: feed.updatedAt, to: &output)
        member("authors", strings: feed.authors, to: &output)
        output.append(contentsOf: #"}, "entries": ["#.utf8)
        for (index, item) in feed.items.enumerated() {
            if index > 0 { output.append(contentsOf: ", ".utf8) }
            write(item, to: &output)
        }
        output.append(UInt8(ascii: "]"))
        member("warnings", strings: feed.warnings, to: &output)
        output.append(UInt8(ascii: "}"))
    }

    private static func write(_ item: FeedItem, to output: inout [UInt8]) {
        output.append(contentsOf: #"{"id": "#.utf8)
        write(optional: item.guid, to: &output)
        output.append(contentsOf: #", "title": "#.utf8)
        JSONValue.write(string: item.title, to: &output)
        member("link", optional: item.link, to: &output)
        member("summary", optional: item.summaryHTML, to: &output)
        member("content", optional: item.contentHTML, to: &output)
        member("published", time: item.publishedAt, to: &output)
        member("updated", time: item.updatedAt, to: &output)
        member("authors", strings: item.authors, to: &output)
        output.append(contentsOf: #", "categories": ["#.utf8)
        for (index, category) in item.categories.enumerated() {
            if index > 0 { output.append(contentsOf: ", ".utf8) }
            JSONValue.write(string: category.term, to: &output)
        }
        output.append(contentsOf: #"], "enclosures": ["#.utf8)
        for (index, enclosure) in item.enclosures.enumerated() {
            if index > 0 { output.append(contentsOf: ", ".utf8) }
            output.append(contentsOf: #"{"url": "#.utf8)
            JSONValue.write(string: enclosure.url, to: &output)
            member("type", optional: enclosure.type, to: &output)
            output.append(contentsOf: #", "length": "#.utf8)
            if let length = enclosure.length { output.append(contentsOf: String(length).utf8) } else { output.append(contentsOf: "null".utf8) }
            output.append(UInt8(ascii: "}"))
        }
        output.append(UInt8(ascii: "]"))
        member("image", optional: item.imageURL, to: &output)
        output.append(UInt8(ascii: "}"))
    }

    /// `, "key": ` then the value: every member but an object's first.
    private static func key(_ key: StaticString, to output: inout [UInt8]) {
        output.append(contentsOf: ", \"".utf8)
        output.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        output.append(contentsOf: "\": ".utf8)
    }

    private static func write(optional text: String?, to output: inout [UInt8]) {
        if let text { JSONValue.write(string: text, to: &output) } else { output.append(contentsOf: "null".utf8) }
    }

    private static func member(_ name: StaticString, optional text: String?, to output: inout [UInt8]) {
        key(name, to: &output)
        write(optional: text, to: &output)
    }

    private static func member(_ name: StaticString, time date: Date?, to output: inout [UInt8]) {
        key(name, to: &output)
        write(optional: date.map(RFC3339UTC.string), to: &output)
    }

    private static func member(_ name: StaticString, strings values: [String], to output: inout [UInt8]) {
        key(name, to: &output)
        output.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { output.append(contentsOf: ", ".utf8) }
            JSONValue.write(string: value, to: &output)
        }
        output.append(UInt8(ascii: "]"))
    }

    /// One readable line per input, for people.
    static func summary(_ feed: ParsedFeed, input: String) -> String {
        var line = "\(input): \(feed.format.rawValue) \"\(feed.title)\", \(feed.items.count) entries"
        if !feed.warnings.isEmpty { line += "\n" + feed.warnings.map { "  warning: \($0)" }.joined(separator: "\n") }
        return line
    }
}
