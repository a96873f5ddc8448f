/// The one HTML escaper: swift-mustache's mapping (`&`, `<`, `>`, `"`, `'`), safe inside
/// elements and inside quoted attributes. The digest's spliced fields and the readers' web
/// pages both use it, so a page and a mail escape the same text the same way.
public enum HTMLEscaping {
    public static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return value
        }
        var out = ""
        out.reserveCapacity(value.utf8.count + 16)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "'": out += "&#39;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
