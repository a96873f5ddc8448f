import Foundation

/// When a source may be fetched again, from what the server and the feed said.
///
/// Pure: headers and a clock reading in, a date out. A feed that says `max-age=900` or
/// `<ttl>60</ttl>` is not asked again sooner, and a server answering 429 or 503 with
/// `Retry-After` is left alone as long as it asked. Both are capped, so that a careless
/// `max-age=31536000` cannot freeze a source for a year.
public enum FetchSchedule {
    /// The earliest next fetch after a successful answer (200 or 304), or nil for "any time".
    public static func nextFetch(
        after now: Date, headers: [String: String], ttlMinutes: Int?, cap: Duration
    ) -> Date? {
        var lifetime = cacheLifetime(headers: headers, now: now) ?? 0
        if let ttlMinutes, ttlMinutes > 0 { lifetime = max(lifetime, TimeInterval(ttlMinutes) * 60) }
        lifetime = min(lifetime, TimeInterval(cap.components.seconds))
        return lifetime > 0 ? now.addingTimeInterval(lifetime) : nil
    }

    /// Seconds the response stays fresh: `Cache-Control: max-age`, else `Expires` minus `Date`.
    /// `no-cache` and `no-store` mean zero.
    static func cacheLifetime(headers: [String: String], now: Date) -> TimeInterval? {
        if let control = headers["cache-control"]?.lowercased() {
            let directives = control.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if directives.contains("no-cache") || directives.contains("no-store") { return 0 }
            for directive in directives where directive.hasPrefix("max-age=") {
                if let seconds = TimeInterval(directive.dropFirst("max-age=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))) {
                    return max(0, seconds)
                }
            }
        }
        if let expires = headers["expires"] {
            guard let expiry = FetchSchedule.httpDate(expires) else { return 0 }  // "Expires: 0" means already stale
            let serverNow = headers["date"].flatMap(FetchSchedule.httpDate) ?? now
            return max(0, expiry.timeIntervalSince(serverNow))
        }
        return nil
    }

    /// `Retry-After` as a wait: delay-seconds or an HTTP date; capped.
    public static func retryAfter(_ value: String?, now: Date, cap: Duration = .seconds(86_400)) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        let seconds: Int64
        if let delay = Int64(value) {
            seconds = max(0, delay)
        } else if let date = httpDate(value) {
            seconds = max(0, Int64(date.timeIntervalSince(now).rounded(.up)))
        } else {
            return nil
        }
        return .seconds(min(seconds, cap.components.seconds))
    }

    /// An HTTP date (RFC 9110 IMF-fixdate, and the obsolete forms servers still send).
    static func httpDate(_ text: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
