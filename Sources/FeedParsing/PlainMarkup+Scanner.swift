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
            let raw = UnsafeRawBufferPointer(bytes)
            while index < count {
                let start = index
                while index < count {
                    if index + 8 <= count, !PlainMarkup.mayEndText(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                        index += 8
                        continue
                    }
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

        /// Where an ASCII name (a letter, then letters, digits or `-`) starts and ends; nil when
        /// there is none or it is too long to be one this scan knows.
        private mutating func name(allowingHyphen: Bool) -> Range<Int>? {
            let count = bytes.count
            let start = index
            guard index < count, isLetter(bytes[index]) else { return nil }
            while index < count {
                let byte = bytes[index]
                guard isLetter(byte) || (0x30...0x39).contains(byte) || (allowingHyphen && byte == UInt8(ascii: "-")) else {
                    break
                }
                index += 1
            }
            return index - start <= 40 ? start..<index : nil
        }

        /// The `key` of a name: its lower-cased bytes when it has at most eight, else a key no
        /// attribute of the table has.
        private func key(of name: Range<Int>) -> UInt64 {
            name.count <= 8 ? PlainMarkup.key(UnsafeBufferPointer(rebasing: bytes[name])) : .max
        }

        /// Whether two names are the same but for case.
        private func sameName(_ first: Range<Int>, _ second: Range<Int>) -> Bool {
            first.count == second.count && zip(first, second).allSatisfy { bytes[$0] | 0x20 == bytes[$1] | 0x20 }
        }

        /// The known element named by the bytes of `name`, or nil.
        private func element(named name: Range<Int>) -> Int? {
            guard let number = PlainMarkup.elementsByKey[PlainMarkup.key(UnsafeBufferPointer(rebasing: bytes[name]))] else {
                return nil
            }
            let known = PlainMarkup.table[number].nameBytes
            guard known.count == name.count, zip(known, name).allSatisfy({ $0 == bytes[$1] | 0x20 }) else { return nil }
            return number
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
                let current = open.last, element(named: name) == current
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
            guard let name = name(allowingHyphen: false), let number = element(named: name) else { return false }
            let element = PlainMarkup.table[number]
            if let current = open.last, PlainMarkup.table[current].closedBy.contains(number) { return false }
            guard open.count < PlainMarkup.maxDepth, readAttributes() else { return false }
            let count = bytes.count
            if index + 1 < count, bytes[index] == UInt8(ascii: "/"), bytes[index + 1] == UInt8(ascii: ">") {
                guard element.isVoid else { return false }  // `<p/>`: libxml2 closes it at once; left to it
                index += 2
            } else if index < count, bytes[index] == UInt8(ascii: ">") {
                index += 1
            } else {
                return false
            }
            write(element)
            if withText, number == PlainMarkup.imgIndex, let alt = attributes.first(where: { $0.key == PlainMarkup.altKey }) {
                withValue(of: alt) { value in
                    guard !value.isEmpty else { return }
                    text.append(0x20)
                    text.append(contentsOf: value)
                    text.append(0x20)
                }
            }
            if element.isVoid {
                if withText, element.isBlock { text.append(0x20) }
            } else {
                open.append(number)
            }
            return true
        }

        /// One attribute of the tag being read: where its name and value are in the fragment,
        /// and the value decoded when it holds a reference (else it is read in place).
        struct Attribute {
            var name: Range<Int>
            var key: UInt64
            var value: Range<Int>
            var decoded: [UInt8]?
        }

        /// The attributes of the start tag being read, reused from tag to tag.
        private var attributes: [Attribute] = []

        private func withValue<Result>(of attribute: Attribute, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
            if let decoded = attribute.decoded { return decoded.withUnsafeBufferPointer(body) }
            return body(UnsafeBufferPointer(rebasing: bytes[attribute.value]))
        }

        /// Reads a start tag's attributes up to its `>` or `/>` into `attributes`; false when
        /// one is not `name="value"` (or single quotes) or a name comes twice.
        private mutating func readAttributes() -> Bool {
            attributes.removeAll(keepingCapacity: true)
            let count = bytes.count
            while true {
                let before = index
                while index < count, isBlank(bytes[index]) { index += 1 }
                guard index < count else { return false }
                if bytes[index] == UInt8(ascii: ">") || bytes[index] == UInt8(ascii: "/") { return true }
                guard index > before, let name = name(allowingHyphen: true), index + 1 < count,
                    bytes[index] == UInt8(ascii: "="), !attributes.contains(where: { sameName($0.name, name) })
                else { return false }
                let quote = bytes[index + 1]
                guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return false }
                index += 2
                guard let (value, decoded) = attributeValue(until: quote) else { return false }
                attributes.append(Attribute(name: name, key: key(of: name), value: value, decoded: decoded))
            }
        }

        /// A quoted value up to `quote` (consumed), and its text with references decoded when
        /// it holds any.
        private mutating func attributeValue(until quote: UInt8) -> (Range<Int>, [UInt8]?)? {
            let start = index
            var decoded: [UInt8]?
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                if byte == quote {
                    index += 1
                    return (start..<(index - 1), decoded)
                }
                switch byte {
                case 0x00...0x1F, 0x7F, UInt8(ascii: "<"):
                    return nil
                case UInt8(ascii: "&"):
                    if decoded == nil { decoded = Array(bytes[start..<index]) }
                    guard let reference = reference() else { return nil }
                    decoded?.append(contentsOf: reference)
                case 0xEF:
                    guard !isNonCharacter(at: index) else { return nil }
                    decoded?.append(byte)
                    index += 1
                default:
                    decoded?.append(byte)
                    index += 1
                }
            }
            return nil
        }

        /// The start tag as `HTMLSanitizer` writes an allowed element: its allowed attributes
        /// in document order, URLs made absolute and safe; an image without a safe `src` is
        /// left out.
        private mutating func write(_ element: Element) {
            var kept: [(key: UInt64, name: Range<Int>, value: [UInt8])] = []
            for attribute in attributes where element.attributeKeys.contains(attribute.key) {
                let value = withValue(of: attribute) { value -> [UInt8]? in
                    // A plain http(s) URL is safe as it stands (`safeURL` returns it unchanged).
                    guard PlainMarkup.urlKeys.contains(attribute.key), !PlainWebURL.isPlain(value) else { return Array(value) }
                    let url = String(decoding: value, as: UTF8.self)
                    return HTMLSanitizer.safeURL(url, baseURL: baseURL, forImage: element.name == "img").map { Array($0.utf8) }
                }
                if let value { kept.append((attribute.key, attribute.name, value)) }
            }
            if element.name == "img", !kept.contains(where: { $0.key == PlainMarkup.srcKey }) { return }
            html.append(UInt8(ascii: "<"))
            html.append(contentsOf: element.nameBytes)
            for (_, name, value) in kept {
                html.append(0x20)
                for offset in name { html.append(bytes[offset] | 0x20) }  // letters, digits and `-`: lower-cased
                html.append(contentsOf: "=\"".utf8)
                value.withUnsafeBufferPointer { HTMLText.appendEscaped($0, to: &html, droppingControls: false) }
                html.append(UInt8(ascii: "\""))
            }
            html.append(UInt8(ascii: ">"))
        }
    }
}
