import Foundation

/// The one spelling of an article's URL that Gazette stores and compares.
///
/// Two feeds (or a feed and a newsletter link) often point at the same page with different
/// spellings: `HTTPS://Example.com:443/a?utm_source=rss#comments`. The canonical form
/// lower-cases scheme and host, drops the default port, the fragment and tracking
/// parameters, and keeps every other query parameter in its order, because some sites
/// need them (`?p=42`).
public enum CanonicalURL {
    /// Query parameters that only say where a click came from.
    public static let trackingParameters: Set<String> = [
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "twclid",
        "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "ref_src", "ncid", "cmpid", "s_cid",
    ]

    /// The canonical form of `string`, or `string` unchanged when it is not an http(s) URL.
    public static func normalize(_ string: String) -> String {
        let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
        guard var components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return trimmed }
        components.scheme = scheme
        components.host = host.lowercased()
        if (scheme == "http" && components.port == 80) || (scheme == "https" && components.port == 443) { components.port = nil }
        components.fragment = nil
        if components.percentEncodedPath.isEmpty { components.percentEncodedPath = "/" }
        if let items = components.percentEncodedQueryItems {
            let kept = items.filter { !isTracking($0.name) }
            components.percentEncodedQueryItems = kept.isEmpty ? nil : kept
        }
        return components.string ?? trimmed
    }

    static func isTracking(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasPrefix("utm_") || trackingParameters.contains(lower)
    }
}
