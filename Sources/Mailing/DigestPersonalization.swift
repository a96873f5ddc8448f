import GazetteModel

/// What differs between the messages of one digest sent to different subscribers, besides
/// the envelope (Message-ID, Date, boundary): the reader's address and name, and the
/// token links. `DigestMessageTemplate` renders a digest once and splices these in.
public struct DigestPersonalization: Sendable, Hashable {
    /// The view-model fields that hold personal values; each has a sentinel in a template.
    enum Field: Int, CaseIterable, Sendable {
        case email, name, greetingName, unsubscribeURL, unsubscribeMailto, preferencesURL
    }

    /// Whether each field is absent, empty or present. Templates may branch on presence
    /// (`{{#reader.name}}`) or emptiness (`{{#reader.name | empty}}`), so subscribers share a
    /// rendering only when their shapes are equal.
    public struct Shape: Sendable, Hashable {
        let kinds: [UInt8]
    }

    public var subscriber: Subscriber
    public var links: DigestLinks
    /// The values by `Field.rawValue`, as `DigestViewModel` holds them.
    let values: [String?]

    public init(subscriber: Subscriber, links: DigestLinks) {
        self.subscriber = subscriber
        self.links = links
        let reader = DigestViewModel.Reader(subscriber: subscriber)
        values = [
            reader.email, reader.name, reader.greetingName, links.unsubscribeURL ?? links.unsubscribeMailto,
            links.unsubscribeMailto, links.preferencesURL,
        ]
    }

    public var shape: Shape {
        Shape(kinds: values.map { value in value == nil ? 0 : value?.isEmpty == true ? 1 : 2 })
    }

    /// Each value's UTF-8 length raw and HTML-escaped (-1 when absent): with the digest and
    /// the shape, all that decides the size of the rendered HTML.
    public var byteLengths: [Int] {
        values.flatMap { value in
            value.map { [$0.utf8.count, PartTemplate.htmlEscaped($0).utf8.count] } ?? [-1, -1]
        }
    }

    func value(_ field: Field) -> String? { values[field.rawValue] }

    /// True when every value can be spliced into a rendering and give the bytes a full
    /// render would: no line breaks or other controls (they would move lines), and nothing
    /// that Unicode normalization could join with its neighbours (`BodyEncoding.isSurelyNFC`).
    var isSpliceable: Bool {
        values.allSatisfy { value in
            guard let value else { return true }
            return BodyEncoding.isSurelyNFC(value) && value.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7F }
        }
    }
}

extension DigestViewModel.Reader {
    /// The reader as templates see them: the name cleaned, greeted by name or else by address.
    public init(subscriber: Subscriber) {
        let name = subscriber.name.map(UntrustedText.clean)
        self.init(email: subscriber.email, name: name, greetingName: name ?? subscriber.email)
    }
}
