import Foundation

/// Counts public sign-ups per client address over a sliding hour, so the form cannot be
/// used to mail confirmations to a list of strangers. Time comes from the caller's clock.
actor SignUpLimiter {
    let perHour: Int
    private var attempts: [String: [Date]] = [:]

    init(perHour: Int) {
        self.perHour = perHour
    }

    /// Records an attempt from `client` at `now`; false when the client is over its limit.
    func allow(_ client: String, at now: Date) -> Bool {
        let since = now.addingTimeInterval(-3600)
        var recent = (attempts[client] ?? []).filter { $0 > since }
        guard recent.count < perHour else {
            attempts[client] = recent
            return false
        }
        recent.append(now)
        attempts[client] = recent
        if attempts.count > 10_000 { attempts = attempts.filter { $0.value.contains { $0 > since } } }
        return true
    }
}
