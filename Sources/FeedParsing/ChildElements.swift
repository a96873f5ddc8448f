import CLibXML2

/// An element's child elements, gathered in one walk of libxml2's list, for an element whose
/// fields are looked up one after another (an RSS item, an Atom entry, a channel).
///
/// Why: an item's fields are looked up about twenty times, and each `XMLNode.child` walked
/// every child of the item again, the whitespace between them included, comparing names: those
/// walks were 7% of parsing a feed. Here each child's name is hashed once, and a lookup
/// compares names only where the hashes agree. The answers are `XMLNode.child`'s and
/// `XMLNode.children`'s: the same elements, in document order.
struct ChildElements {
    private struct Entry {
        var key: UInt64
        var node: xmlNodePtr
    }

    private let tree: XMLTree
    private var entries: [Entry] = []

    init(of parent: XMLNode) {
        tree = parent.tree
        var count = 0
        var child = parent.pointer.pointee.children
        while let node = child {
            if node.pointee.isElement { count += 1 }
            child = node.pointee.next
        }
        entries.reserveCapacity(count)  // one allocation, not one per doubling
        child = parent.pointer.pointee.children
        while let node = child {
            child = node.pointee.next
            guard node.pointee.isElement, let name = node.pointee.name else { continue }
            var length = 0
            while name[length] != 0 { length += 1 }
            entries.append(Entry(key: Self.key(UnsafeBufferPointer(start: name, count: length)), node: node))
        }
    }

    /// The first child element named `name` (in `namespace` when given), as `XMLNode.child`.
    func child(_ name: String, in namespace: String? = nil) -> XMLNode? {
        var found: XMLNode?
        forEach(named: name, in: namespace) { node in
            found = node
            return false
        }
        return found
    }

    /// Every child element named `name` (in `namespace` when given), as `XMLNode.children`.
    func children(_ name: String, in namespace: String? = nil) -> [XMLNode] {
        var result: [XMLNode] = []
        forEach(named: name, in: namespace) { node in
            result.append(node)
            return true
        }
        return result
    }

    /// Calls `body` with each match in order while it returns true.
    private func forEach(named name: String, in namespace: String?, _ body: (XMLNode) -> Bool) {
        var name = name
        name.withUTF8 { wanted in
            let key = Self.key(wanted)
            for entry in entries where entry.key == key {
                guard let nodeName = entry.node.pointee.name, XMLNode.equal(nodeName, wanted) else { continue }
                if let namespace {
                    guard let href = entry.node.pointee.ns?.pointee.href else { continue }
                    var namespace = namespace
                    guard namespace.withUTF8({ XMLNode.equal(href, $0) }) else { continue }
                }
                if !body(XMLNode(pointer: entry.node, tree: tree)) { return }
            }
        }
    }

    /// FNV-1a of a name's bytes: equal names have equal keys.
    @inline(__always)
    private static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }
}
