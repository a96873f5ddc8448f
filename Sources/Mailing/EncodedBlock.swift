/// An article block as a body part holds it: its lines joined by CRLF (wrapped first, in the
/// text part) and their quoted-printable, made once per block and number of digits of its
/// item number, with the places each digit of that number goes.
///
/// A newsroom's edition has thousands of distinct digests made of the same few thousand
/// blocks, and wrapping and encoding each digest's parts whole was a third of rendering it.
/// Quoted-printable and wrapping both work line by line, and a block stands on lines of its
/// own, so a part's run of fixed lines is its stretches of skeleton and its blocks, each
/// encoded apart and joined with CRLF (`PartTemplate`). Digits encode as themselves and wrap
/// alike, so the block is made with two fillers, "1…" and "2…", and the places where the two
/// results differ are the digits'; a block for which that does not hold is not encoded apart.
struct EncodedBlock: Sendable {
    var raw: [UInt8]
    var quotedPrintable: [UInt8]
    /// Where each digit goes, marker after marker, in `raw` and in `quotedPrintable`.
    var rawDigits: [Int]
    var quotedDigits: [Int]
    let digits: Int

    /// Text that NFC could change is normalized on its own, as `PartTemplate` normalizes a
    /// run of lines: nothing composes across a line break. Nil for a block that holds a CR
    /// (its lines would not be the part's) or whose digits do not show as described above.
    static func make(_ block: ArticleBlocks.Block, digits: Int, wrapWidth: Int?) -> EncodedBlock? {
        guard !block.holdsCarriageReturn, digits > 0 else { return nil }
        func encoded(_ filler: UInt8) -> (raw: [UInt8], quoted: [UInt8]) {
            let text = String(decoding: block.bytes(numbered: Array(repeating: filler, count: digits)), as: UTF8.self)
            let wrapped = wrapWidth.map { TextWrapper.wrap(text, width: $0) } ?? text
            let raw = BodyEncoding.crlfBytes(block.isPlain ? wrapped : PartTemplate.normalized(wrapped))
            return (raw, BodyEncoding.quotedPrintableBytes(raw))
        }
        let ones = encoded(UInt8(ascii: "1"))
        let twos = encoded(UInt8(ascii: "2"))
        guard ones.raw.count == twos.raw.count, ones.quoted.count == twos.quoted.count else { return nil }
        let rawDigits = ones.raw.indices.filter { ones.raw[$0] != twos.raw[$0] }
        let quotedDigits = ones.quoted.indices.filter { ones.quoted[$0] != twos.quoted[$0] }
        let expected = (block.pieces.count - 1) * digits
        guard rawDigits.count == expected, quotedDigits.count == expected else { return nil }
        return EncodedBlock(
            raw: ones.raw, quotedPrintable: ones.quoted, rawDigits: rawDigits, quotedDigits: quotedDigits, digits: digits)
    }

    /// Appends the block, numbered with `number` (its ASCII digits, `digits` of them), to a
    /// chunk's raw bytes and its quoted-printable.
    func append(numbered number: [UInt8], raw: inout [UInt8], quoted: inout [UInt8]) {
        precondition(number.count == digits, "a block encoded for \(digits) digits numbered with \(number.count)")
        let rawStart = raw.count
        raw += self.raw
        for (index, position) in rawDigits.enumerated() { raw[rawStart + position] = number[index % digits] }
        let quotedStart = quoted.count
        quoted += quotedPrintable
        for (index, position) in quotedDigits.enumerated() { quoted[quotedStart + position] = number[index % digits] }
    }
}
