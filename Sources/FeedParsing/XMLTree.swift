import CLibXML2
import Foundation
import GazetteModel

/// A parsed libxml2 document; frees it when released. Never leaves this module.
///
/// External entities and network access are off: a feed can never make the parser read a
/// local file or another URL (no `XML_PARSE_NOENT`, `XML_PARSE_DTDLOAD` or network).
final class XMLTree {
    let document: xmlDocPtr
    /// The first error of a document that only parsed in recovery mode ("line 12: …").
    private(set) var recoveredError: String?
    /// Where the elements marked in `_private` read their text (`CDATASections`), until
    /// `materializeVirtualText` writes it into the tree.
    private(set) var virtualText: VirtualText?

    private init(document: xmlDocPtr, recoveredError: String? = nil, virtualText: VirtualText? = nil) {
        self.document = document
        self.recoveredError = recoveredError
        self.virtualText = virtualText
    }

    /// Writes every virtual text into the tree as the text node the whole parse made, for
    /// whatever walks text nodes itself (serializing, XPath, the content of an element with
    /// several children). Reading one element's `text` needs none of this.
    func materializeVirtualText() {
        guard let virtualText else { return }
        self.virtualText = nil
        func walk(_ first: xmlNodePtr?) {
            var next = first
            while let node = next {
                next = node.pointee.next
                guard node.pointee.isElement else { continue }
                if let marker = node.pointee._private {
                    node.pointee._private = nil
                    let bytes = virtualText.bytes(ofSection: Int(bitPattern: marker) - 1)
                    bytes.withUnsafeBytes { raw in
                        xmlNodeAddContentLen(node, raw.baseAddress?.assumingMemoryBound(to: xmlChar.self), Int32(raw.count))
                    }
                } else {
                    walk(node.pointee.children)
                }
            }
        }
        walk(document.pointee.children)
    }

    deinit { xmlFreeDoc(document) }

    /// Parses XML bytes. Tries strictly first, then in libxml2's recovery mode, because many
    /// real feeds are slightly broken (a stray `&`, an unclosed tag at the very end).
    /// - Parameter encoding: overrides the document's own declaration (an HTTP charset).
    static func parseXML(_ data: Data, baseURL: String?, encoding: String? = nil) throws(FeedParseError) -> XMLTree {
        guard !data.isEmpty else { throw .empty }
        let strict = strictOptions
        var firstError: (line: Int, message: String)?
        for options in [strict, strict | Int32(XML_PARSE_RECOVER.rawValue)] {
            gz_xml_silence_errors()
            xmlResetLastError()
            let document: xmlDocPtr? = data.withUnsafeBytes { raw in
                guard let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
                return xmlReadMemory(base, Int32(clamping: raw.count), baseURL, encoding, options)
            }
            if let document {
                if xmlDocGetRootElement(document) != nil {
                    let recovered = firstError.map { "line \($0.line): \($0.message)" }
                    return XMLTree(document: document, recoveredError: recovered)
                }
                xmlFreeDoc(document)
            }
            if firstError == nil, let error = xmlGetLastError() {
                let message = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
                firstError = (Int(error.pointee.line), message.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        throw .notWellFormed(line: firstError?.line ?? 0, reason: firstError?.message ?? "no root element")
    }

    /// Parses XML bytes strictly: nil when the document is not well-formed, or when it
    /// refers to an entity it never declares (which libxml2 would read as nothing: a DOCTYPE
    /// naming an external DTD makes `&eacute;` a mere warning). Costs a well-formed feed one
    /// parse; the caller repairs what fails and parses again.
    ///
    /// - Parameter validUTF8: the bytes are valid UTF-8 and libxml2 reads them as UTF-8 (no
    ///   byte-order mark, no other encoding named): then the contents of CDATA sections are
    ///   not read by libxml2 at all (`CDATASections`), and the tree is the same.
    static func parseStrictly(_ data: Data, baseURL: String?, encoding: String? = nil, validUTF8: Bool = false) -> XMLTree? {
        guard !data.isEmpty else { return nil }
        if validUTF8, let tree = parseStrippingCDATA(data, baseURL: baseURL, encoding: encoding) { return tree }
        gz_xml_silence_errors()
        xmlResetLastError()
        let document: xmlDocPtr? = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
            return xmlReadMemory(base, Int32(clamping: raw.count), baseURL, encoding, strictOptions)
        }
        return acceptedStrictly(document)
    }

    /// The strict parse with the CDATA sections' contents taken out, or nil when that does
    /// not apply (no sections; something `CDATASections` will not judge) or does not give a
    /// well-formed document; the caller then parses the feed whole. Only for valid UTF-8.
    static func parseStrippingCDATA(_ data: Data, baseURL: String?, encoding: String?) -> XMLTree? {
        guard let sections = CDATASections.strip(data) else { return nil }
        gz_xml_silence_errors()
        xmlResetLastError()
        let options = strictOptions & ~Int32(XML_PARSE_NOCDATA.rawValue)
        let parsed = sections.parse(original: data, baseURL: baseURL, encoding: encoding, options: options)
        return acceptedStrictly(parsed.document, virtualText: parsed.virtualCount > 0 ? sections.virtualText(of: data) : nil)
    }

    /// The strict parse's verdict on what libxml2 made of a document.
    private static func acceptedStrictly(_ document: xmlDocPtr?, virtualText: VirtualText? = nil) -> XMLTree? {
        guard let document else { return nil }
        let undeclared = [XML_ERR_UNDECLARED_ENTITY.rawValue, XML_WAR_UNDECLARED_ENTITY.rawValue]
        let lastError = xmlGetLastError().map { UInt32($0.pointee.code) }
        if xmlDocGetRootElement(document) == nil || lastError.map({ undeclared.contains($0) }) == true {
            xmlFreeDoc(document)
            return nil
        }
        return XMLTree(document: document, virtualText: virtualText)
    }

    /// The document's nodes (the root and any comments or processing instructions around
    /// it) as libxml2 serializes them, in UTF-8 whatever the feed's encoding: for tests that
    /// compare two parses.
    var serialized: String {
        materializeVirtualText()
        guard let buffer = xmlBufferCreate() else { return "" }
        defer { xmlBufferFree(buffer) }
        var child = document.pointee.children
        while let node = child {
            xmlNodeDump(buffer, document, node, 0, 0)
            xmlBufferCCat(buffer, "\n")
            child = node.pointee.next
        }
        return String(cString: xmlBufferContent(buffer))
    }

    /// `XML_PARSE_COMPACT` keeps short text (a feed's indentation between elements) inside
    /// its node instead of a block of its own: fewer allocations, and the tree is never changed.
    private static let strictOptions = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_COMPACT.rawValue)

    /// Parses HTML bytes leniently, as browsers do; used for summaries and article pages.
    static func parseHTML(_ data: Data, baseURL: String?, encoding: String? = "UTF-8") -> XMLTree? {
        guard !data.isEmpty else { return nil }
        gz_xml_silence_errors()
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)
        let document: htmlDocPtr? = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
            return htmlReadMemory(base, Int32(clamping: raw.count), baseURL, encoding, options)
        }
        return document.map { XMLTree(document: $0) }
    }

    /// The nodes an XPath 1.0 expression selects (elements, attributes or text), or nil when
    /// the expression does not compile.
    func select(_ expression: String, from node: XMLNode? = nil) -> [XMLNode]? {
        materializeVirtualText()
        guard let context = xmlXPathNewContext(document) else { return nil }
        defer { xmlXPathFreeContext(context) }
        if let node { context.pointee.node = node.pointer }
        gz_xml_silence_errors()
        guard let result = xmlXPathEvalExpression(expression, context) else { return nil }
        defer { xmlXPathFreeObject(result) }
        return (0..<gz_xpath_node_count(result)).compactMap { index in
            gz_xpath_node_at(result, Int32(index)).map { XMLNode(pointer: $0, tree: self) }
        }
    }

    var root: XMLNode? {
        xmlDocGetRootElement(document).map { XMLNode(pointer: $0, tree: self) }
    }
}

/// A non-owning view of one libxml2 node; keeps its tree alive.
struct XMLNode {
    let pointer: xmlNodePtr
    let tree: XMLTree

    /// The element's local name, without prefix ("item", "creator").
    var name: String { pointer.pointee.name.map { String(cString: $0) } ?? "" }

    /// The element's namespace URI, if any.
    var namespace: String? { pointer.pointee.ns?.pointee.href.map { String(cString: $0) } }

    var isElement: Bool { pointer.pointee.isElement }

    /// Child elements in document order.
    var children: [XMLNode] {
        var result: [XMLNode] = []
        var child = pointer.pointee.children
        while let node = child {
            if node.pointee.isElement { result.append(XMLNode(pointer: node, tree: tree)) }
            child = node.pointee.next
        }
        return result
    }

    /// All child nodes, text included, in document order.
    var childNodes: [XMLNode] {
        tree.materializeVirtualText()
        var result: [XMLNode] = []
        var child = pointer.pointee.children
        while let node = child {
            result.append(XMLNode(pointer: node, tree: tree))
            child = node.pointee.next
        }
        return result
    }

    /// Child elements with this local name, in `namespace` when given.
    func children(_ name: String, in namespace: String? = nil) -> [XMLNode] {
        var result: [XMLNode] = []
        forEachChild(named: name, in: namespace) { result.append($0) }
        return result
    }

    func child(_ name: String, in namespace: String? = nil) -> XMLNode? {
        var found: XMLNode?
        forEachChild(named: name, in: namespace) { node in
            if found == nil { found = node }
        }
        return found
    }

    /// Calls `body` with each child element named `name` (in `namespace` when given),
    /// comparing libxml2's bytes in place: item fields are looked up a dozen times per
    /// item, and a `String` per child and lookup dominated parsing.
    private func forEachChild(named name: String, in namespace: String?, _ body: (XMLNode) -> Void) {
        var name = name
        name.withUTF8 { wanted in
            var child = pointer.pointee.children
            while let node = child {
                child = node.pointee.next
                guard node.pointee.isElement, let nodeName = node.pointee.name,
                    Self.equal(nodeName, wanted)
                else { continue }
                if let namespace {
                    guard let href = node.pointee.ns?.pointee.href else { continue }
                    var namespace = namespace
                    guard namespace.withUTF8({ Self.equal(href, $0) }) else { continue }
                }
                body(XMLNode(pointer: node, tree: tree))
            }
        }
    }

    /// True when the NUL-terminated `bytes` are exactly `string`.
    static func equal(_ bytes: UnsafePointer<xmlChar>, _ string: UnsafeBufferPointer<UInt8>) -> Bool {
        for index in 0..<string.count where bytes[index] != string[index] { return false }  // a NUL stops it early
        return bytes[string.count] == 0
    }

    /// The text of this node and its descendants, entities decoded, untrimmed.
    var text: String {
        if let bytes = virtualTextBytes {
            return bytes.withUnsafeBytes { String(decoding: $0.bindMemory(to: UInt8.self), as: UTF8.self) }
        }
        // Most elements hold one text node: read it in place rather than have libxml2 copy it.
        if let only = pointer.pointee.children, only == pointer.pointee.last,
            only.pointee.isText
        {
            return only.pointee.content.map { String(cString: $0) } ?? ""
        }
        // Virtual texts below this element are in its content: only an element child holds one
        // (an empty element, read for its text in every feed, must not cost a walk of the tree).
        if hasElementChild { tree.materializeVirtualText() }
        guard let content = xmlNodeGetContent(pointer) else { return "" }
        defer { gz_xml_free(content) }
        return String(cString: content)
    }

    private var hasElementChild: Bool {
        var child = pointer.pointee.children
        while let node = child {
            if node.pointee.isElement { return true }
            child = node.pointee.next
        }
        return false
    }

    /// The element's text as the feed's own bytes, when libxml2's tree holds none for it
    /// (`VirtualText`): `text` without making a `String`, for content kept as bytes.
    var virtualTextBytes: Data? {
        guard let marker = pointer.pointee._private, let virtualText = tree.virtualText else { return nil }
        return virtualText.bytes(ofSection: Int(bitPattern: marker) - 1)
    }

    /// `text` as HTML kept for later: the feed's bytes when they are at hand, else the string.
    var html: FeedHTML {
        virtualTextBytes.map(FeedHTML.bytes) ?? .string(text)
    }

    /// The text trimmed of surrounding whitespace, or nil when empty.
    var trimmedText: String? {
        let value = UntrustedText.trimmingWhitespace(text)
        return value.isEmpty ? nil : value
    }

    /// The serialized markup of this node's children, for Atom `type="xhtml"` content.
    var innerXML: String {
        tree.materializeVirtualText()
        guard let buffer = xmlBufferCreate() else { return "" }
        defer { xmlBufferFree(buffer) }
        var child = pointer.pointee.children
        while let node = child {
            xmlNodeDump(buffer, tree.document, node, 0, 0)
            child = node.pointee.next
        }
        return String(cString: xmlBufferContent(buffer))
    }

    /// Every attribute as (name, value), in document order.
    var attributes: [(String, String)] {
        var result: [(String, String)] = []
        var property = pointer.pointee.properties
        while let attribute = property {
            let name = attribute.pointee.name.map { String(cString: $0) } ?? ""
            if let value = xmlNodeListGetString(tree.document, attribute.pointee.children, 1) {
                result.append((name, String(cString: value)))
                gz_xml_free(value)
            } else {
                result.append((name, ""))
            }
            property = attribute.pointee.next
        }
        return result
    }

    /// The attribute's value, as libxml2's `xmlGetProp` gives it (whatever its namespace).
    ///
    /// An attribute whose value is one text node is read in place: `xmlGetProp` copied every
    /// value into memory of its own to be made a `String` and freed, and an Atom entry's
    /// attributes are read a dozen times. Anything else (entity references in the value, an
    /// attribute the element does not have, which a DTD may default) is `xmlGetProp`'s.
    func attribute(_ name: String) -> String? {
        var name = name
        let value = name.withUTF8 { wanted -> String? in
            // Only an element has attributes (a compact text node keeps its text in their place).
            guard pointer.pointee.isElement else { return nil }
            var property = pointer.pointee.properties
            while let attribute = property {
                property = attribute.pointee.next
                guard let attributeName = attribute.pointee.name, Self.equal(attributeName, wanted) else { continue }
                guard let only = attribute.pointee.children, only.pointee.next == nil,
                    only.pointee.type.rawValue == XML_TEXT_NODE.rawValue, let content = only.pointee.content
                else { return nil }
                return String(cString: content)
            }
            return nil
        }
        if let value { return value }
        guard let value = xmlGetProp(pointer, name) else { return nil }
        defer { gz_xml_free(value) }
        return String(cString: value)
    }

    /// The node's `xml:base`, resolved against its ancestors' and the document's URL.
    ///
    /// Resolved here rather than by libxml2's `xmlNodeGetBase`, which gives up on a base with
    /// non-ASCII characters (`xml:base="/café/"`) and silently falls back to the outer one.
    var baseURL: String? {
        var bases: [String] = []
        var node: xmlNodePtr? = pointer
        while let current = node, current.pointee.isElement {
            if let value = xmlGetNsProp(current, "base", Namespace.xml) {
                bases.append(String(cString: value))
                gz_xml_free(value)
            }
            node = current.pointee.parent
        }
        var base = tree.document.pointee.URL.map { String(cString: $0) }
        for value in bases.reversed() { base = resolve(value, against: base) ?? base }
        return base
    }
}
