import Foundation

/// The mbox format: messages one after another, each starting with a `From ` line at the
/// start of the file or after a blank line. Lines that looked like one inside a message were
/// written as `>From ` (mboxrd escapes `>>From ` too); one `>` is taken off again.
public enum Mbox {
    public static func split(_ data: Data) -> [Data] {
        let bytes = [UInt8](data)
        let marker = Array("From ".utf8)
        var starts: [Int] = []
        var lineStart = 0
        var previousBlank = true
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            if previousBlank, bytes[lineStart..<lineEnd].starts(with: marker) { starts.append(lineStart) }
            let length = lineEnd - lineStart
            previousBlank = length == 0 || (length == 1 && bytes[lineStart] == UInt8(ascii: "\r"))
            lineStart = lineEnd + 1
        }
        guard !starts.isEmpty else { return bytes.isEmpty ? [] : [data] }
        return starts.indices.map { index in
            let end = index + 1 < starts.count ? starts[index + 1] : bytes.count
            return Data(unescaped(bytes[starts[index]..<end]))
        }
    }

    /// `>From ` lines back to `From ` (and `>>From ` to `>From `).
    static func unescaped(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var atLineStart = false
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if atLineStart, byte == UInt8(ascii: ">") {
                var next = index
                while next < bytes.endIndex, bytes[next] == UInt8(ascii: ">") { next += 1 }
                if bytes[next...].starts(with: Array("From ".utf8)) {
                    index += 1
                    atLineStart = false
                    continue
                }
            }
            out.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
            index += 1
        }
        return out
    }
}
