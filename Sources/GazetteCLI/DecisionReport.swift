import Foundation
import GazetteModel

/// `gazette preview --explain`: one line per candidate article, saying what the builder did
/// with it and why.
enum DecisionReport {
    static func render(_ digest: Digest) -> String {
        var lines = ["Why each article is in or out of \(digest.list.name) for \(digest.subscriber.email)"
            + " (first seen after \(digest.window.start.formatted(.iso8601)), up to \(digest.window.end.formatted(.iso8601))):"]
        let order: [String] = ["included", "merged", "capped", "muted", "not followed", "waiting", "too old"]
        let sorted = digest.decisions.map { (label($0.verdict), $0) }.sorted {
            let (a, b) = (order.firstIndex(of: $0.0.kind) ?? 99, order.firstIndex(of: $1.0.kind) ?? 99)
            return a != b ? a < b : $0.1.title < $1.1.title
        }
        for (verdict, decision) in sorted {
            lines.append("  \(verdict.kind.padding(toLength: 12, withPad: " ", startingAt: 0)) \(decision.title)")
            let detail = [verdict.detail, decision.reason ?? ""].filter { !$0.isEmpty }.joined(separator: ", because the reader ")
            if !detail.isEmpty { lines.append("               \(detail)") }
        }
        if digest.decisions.isEmpty { lines.append("  (no candidate articles in the window)") }
        return lines.joined(separator: "\n")
    }

    private static func label(_ verdict: DigestDecision.Verdict) -> (kind: String, detail: String) {
        switch verdict {
        case .included(let section, let top): ("included", top ? "as a top story" : "in \(section.isEmpty ? "Other news" : section.description)")
        case .merged(let url): ("merged", "the same story as \(url)")
        case .notFollowed: ("not followed", "")
        case .muted(let reason): ("muted", reason)
        case .capped(let reason): ("capped", reason)
        case .stabilizing(let until): ("waiting", "first seen too recently; eligible after \(until.formatted(.iso8601))")
        case .tooOld(let published): ("too old", "published \(published.formatted(.iso8601))")
        }
    }

    /// `--diff`: what the next digest adds since the last one that reached the subscriber,
    /// and what waits or was left out.
    static func renderDiff(_ digest: Digest, lastSent: Date?) -> String {
        var lines: [String] = []
        if let lastSent {
            lines.append("Since the last digest that reached \(digest.subscriber.email) (it covered articles up to \(lastSent.formatted(.iso8601))):")
        } else {
            lines.append("No digest of \(digest.list.name) has reached \(digest.subscriber.email) yet; a first digest covers:")
        }
        for entry in digest.entries { lines.append("  + \(entry.article.title)") }
        for decision in digest.decisions {
            switch decision.verdict {
            case .stabilizing(let until): lines.append("  … \(decision.title)  (waits until \(until.formatted(.iso8601)))")
            case .capped(let reason): lines.append("  - \(decision.title)  (\(reason))")
            default: continue
            }
        }
        if digest.isEmpty { lines.append("  nothing new") }
        return lines.joined(separator: "\n")
    }
}
