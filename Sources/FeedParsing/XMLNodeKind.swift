import CLibXML2

/// A libxml2 node's kind, compared as the integer it is.
///
/// Why: `==` on the imported `xmlElementType` (and a `switch` over its cases) is the generic
/// `RawRepresentable` equality, which the optimizer left as a call through `UInt32`'s
/// `Equatable` witness; every child walk tests each node's kind, and those calls were 2% of
/// parsing a feed.
extension xmlNode {
    @inline(__always) var isElement: Bool { type.rawValue == XML_ELEMENT_NODE.rawValue }

    /// A text node or a CDATA section: the nodes that hold an element's text.
    @inline(__always) var isText: Bool {
        type.rawValue == XML_TEXT_NODE.rawValue || type.rawValue == XML_CDATA_SECTION_NODE.rawValue
    }
}
