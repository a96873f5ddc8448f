import Foundation

/// The character encoding of an HTML page: the HTTP `charset`, else a `<meta charset>` or
/// `http-equiv` declaration in its first kilobytes, else UTF-8 when the bytes are valid
/// UTF-8, else windows-1252 (what undeclared legacy pages almost always are).
enum PageEncoding {
    static func encoding(of data: Data, contentType: String?) -> String {
        if FeedEncoding.hasByteOrderMark(data) {
            return data.starts(with: [0xEF, 0xBB, 0xBF]) ? "UTF-8" : "UTF-16"
        }
        if let charset = FeedEncoding.charset(fromContentType: contentType) { return charset }
        if let declared = declaredCharset(data) { return declared }
        return FeedEncoding.isValidUTF8(data) ? "UTF-8" : "windows-1252"
    }

    static func declaredCharset(_ data: Data) -> String? {
        guard let head = String(bytes: data.prefix(4096), encoding: .isoLatin1)?.lowercased(),
            let match = head.firstMatch(of: /<meta[^>]+charset\s*=\s*["']?([a-z0-9_\-:.]+)/)
        else { return nil }
        return String(match.1)
    }
}
