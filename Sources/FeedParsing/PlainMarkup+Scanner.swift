import Foundation

extension PlainMarkup {
    /// One pass over a fragment: text escaped into `html` as it comes, tags checked against
    /// the open elements and written as the sanitizer writes them. `run` says whether the
    /// fragment was plain to the end; when it was not, what was written is thrown away.
    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        let baseURL: String?
        let withText: Bool
        private(set) var html: [UInt8] = []
        private(set) var text: [UInt8] = []
        private var index = 0
        /// The open elements, innermost last, as indices in `PlainMarkup.table`.
        private var open: [Int] = []

        init(bytes: UnsafeBufferPointer<UInt8>, baseURL: String?, withText: Bool) {
            self.bytes = bytes
            self.baseURL = baseURL
            self.withText = withText
            html.reserveCapacity(bytes.count + bytes.count / 8)
            if withText { text.reserveCapacity(bytes.count) }
        }

        mutating func run() -> Bool {
            let count = bytes.count
            while index < count {
                let start = index
                while index < count {
                    let kind = PlainMarkup.textClass[Int(bytes[index])]
                    guard kind == 0 || (kind == 4 && !isNonCharacter(at: index)) else { break }
                    index += 1
                }
                if index > start { appendText(UnsafeBufferPointer(rebasing: bytes[start..<index])) }
                guard index < count else { break }
                switch PlainMarkup.textClass[Int(bytes[index])] {
                case 1:
                    guard tag() else { return false }
                case 2:
                    guard let decoded = reference() else { return false }
                    decoded.withUnsafeBufferPointer { appendText($0) }
                default:
                    return false  // a control, U+FFFE or U+FFFF
                }
            }
            return open.isEmpty
        }

        private mutating func appendText(_ run: UnsafeBufferPointer<UInt8>) {
            HTMLText.appendEscaped(run, to: &html, droppingControls: true)
            if withText { text.append(contentsOf: run) }
        }

        /// A character reference or one of the named entities, decoded; nil for any other `&`.
        private mutating func reference() -> [UInt8]? {
            let count = bytes.count
            var end = index + 1
            guard end < count else { return nil }
            if bytes[end] == UInt8(ascii: "#") {
                // "&#" then one to seven digits then ";", naming a scalar that is plain text
                // (`HTMLText.textOfCharacterReferences` takes the same, checked against libxml2).
                end += 1
                var value: UInt32 = 0
                while end < count, end - index - 2 < 7, (0x30...0x39).contains(bytes[end]) {
                    value = value * 10 + UInt32(bytes[end] - 0x30)
                    end += 1
                }
                guard end > index + 2, end < count, bytes[end] == UInt8(ascii: ";"),
                    value >= 0x20, !(0x7F...0x9F).contains(value), !(0xD800...0xDFFF).contains(value),
                    value != 0xFFFE, value != 0xFFFF, value <= 0x10FFFF, let scalar = Unicode.Scalar(value)
                else { return nil }
                index = end + 1
                return Array(String(Character(scalar)).utf8)
            }
            for (name, value) in PlainMarkup.namedEntities {
                let close = end + name.count
                guard close < count, bytes[close] == UInt8(ascii: ";"),
                    UnsafeBufferPointer(rebasing: bytes[end..<close]).elementsEqual(name)
                else { continue }
                index = close + 1
                return value
            }
            return nil
        }

        /// An ASCII name (a letter, then letters, digits or `-`), lower-cased; nil when none.
        private mutating func name(allowingHyphen: Bool) -> [UInt8]? {
            let count = bytes.count
            guard index < count, isLetter(bytes[index]) else { return nil }
            var result: [UInt8] = []
            while index < count {
                let byte = bytes[index]
                if isLetter(byte) {
                    result.append(byte | 0x20)
                } else if (0x30...0x39).contains(byte) || (allowingHyphen && byte == UInt8(ascii: "-")) {
                    result.append(byte)
                } else {
                    break
                }
                index += 1
            }
            return result.count <= 40 ? result : nil
        }

        private func isLetter(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte | 0x20) }

        /// Whether U+FFFE or U+FFFF (EF BF BE, EF BF BF) starts at `offset`: XML and libxml2 refuse them.
        private func isNonCharacter(at offset: Int) -> Bool {
            offset + 2 < bytes.count && bytes[offset] == 0xEF && bytes[offset + 1] == 0xBF && bytes[offset + 2] >= 0xBE
        }

        private func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A }

        /// A start or end tag at `<`; false when it is anything else or not plain.
        private mutating func tag() -> Bool {
            index += 1
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: "/") {
                index += 1
                return endTag()
            }
            return startTag()
        }

        private mutating func endTag() -> Bool {
            guard let name = name(allowingHyphen: false), index < bytes.count, bytes[index] == UInt8(ascii: ">"),
                let current = open.last, PlainMarkup.table[current].nameBytes == name
            else { return false }
            index += 1
            open.removeLast()
            let element = PlainMarkup.table[current]
            html.append(contentsOf: "</".utf8)
            html.append(contentsOf: element.nameBytes)
            html.append(UInt8(ascii: ">"))
            if withText, element.isBlock { text.append(0x20) }
            return true
        }

        private mutating func startTag() -> Bool {
            guard let name = name(allowingHyphen: false), let number = name.withUnsafeBufferPointer(PlainMarkup.element(named:))
            else { return false }
            let element = PlainMarkup.table[number]
            if let current = open.last, PlainMarkup.table[current].closedBy.contains(number) { return false }
            guard open.count < PlainMarkup.maxDepth, let attributes = attributes() else { return false }
            let count = bytes.count
            if index + 1 < count, bytes[index] == UInt8(ascii: "/"), bytes[index + 1] == UInt8(ascii: ">") {
                guard element.isVoid else { return false }  // `<p/>`: libxml2 closes it at once; left to it
                index += 2
            } else if index < count, bytes[index] == UInt8(ascii: ">") {
                index += 1
            } else {
                return false
            }
            write(element, attributes: attributes)
            if withText, element.name == "img", let alt = attributes.first(where: { $0.name == Array("alt".utf8) }),
                !alt.value.isEmpty
            {
                text.append(0x20)
                text.append(contentsOf: alt.value)
                text.append(0x20)
            }
            if element.isVoid {
                if withText, element.isBlock { text.append(0x20) }
            } else {
                open.append(number)
            }
            return true
        }

        /// The attributes of a start tag up to its `>` or `/>`, values decoded; nil when one
        /// is not `name="value"` (or single quotes) or a name comes twice.
        private mutating func attributes() -> [(name: [UInt8], value: [UInt8])]? {
            var result: [(name: [UInt8], value: [UInt8])] = []
            let count = bytes.count
            while true {
                let before = index
                while index < count, isBlank(bytes[index]) { index += 1 }
                guard index < count else { return nil }
                if bytes[index] == UInt8(ascii: ">") || bytes[index] == UInt8(ascii: "/") { return result }
                guard index > before, let name = name(allowingHyphen: true), index + 1 < count,
                    bytes[index] == UInt8(ascii: "="), !result.contains(where: { $0.name == name })
                else { return nil }
                let quote = bytes[index + 1]
                guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
                index += 2
                guard let value = attributeValue(until: quote) else { return nil }
                result.append((name, value))
            }
        }

        /// A quoted value's text up to `quote` (consumed), references decoded.
        private mutating func attributeValue(until quote: UInt8) -> [UInt8]? {
            var value: [UInt8] = []
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                if byte == quote {
                    index += 1
                    return value
                }
                switch byte {
                case 0x00...0x1F, 0x7F, UInt8(ascii: "<"):
                    return nil
                case UInt8(ascii: "&"):
                    guard let decoded = reference() else { return nil }
                    value += decoded
                case 0xEF:
                    guard !isNonCharacter(at: index) else { return nil }
                    value.append(byte)
                    index += 1
                default:
                    value.append(byte)
                    index += 1
                }
            }
            return nil
        }

        /// The start tag as `HTMLSanitizer` writes an allowed element: its allowed attributes
        /// in document order, URLs made absolute and safe; an image without a safe `src` is
        /// left out.
        private mutating func write(_ element: Element, attributes: [(name: [UInt8], value: [UInt8])]) {
            var kept: [(name: [UInt8], value: [UInt8])] = []
            for (name, value) in attributes {
                let key = String(decoding: name, as: UTF8.self)
                guard element.attributes.contains(key) || HTMLSanitizer.commonAttributes.contains(key) else { continue }
                if HTMLSanitizer.urlAttributes.contains(key) {
                    let url = String(decoding: value, as: UTF8.self)
                    guard let safe = HTMLSanitizer.safeURL(url, baseURL: baseURL, forImage: element.name == "img") else {
                        continue
                    }
                    kept.append((name, Array(safe.utf8)))
                } else {
                    kept.append((name, value))
                }
            }
            if element.name == "img", !kept.contains(where: { $0.name == Array("src".utf8) }) { return }
            html.append(UInt8(ascii: "<"))
            html.append(contentsOf: element.nameBytes)
            for (name, value) in kept {
                html.append(0x20)
                html.append(contentsOf: name)
                html.append(contentsOf: "=\"".utf8)
                value.withUnsafeBufferPointer { HTMLText.appendEscaped($0, to: &html, droppingControls: false) }
                html.append(UInt8(ascii: "\""))
            }
            html.append(UInt8(ascii: ">"))
        }
    }
}
