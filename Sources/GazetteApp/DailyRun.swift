import Foundation
import GazetteModel
import GazetteStore
import Logging

/// The summary of one `gazette run`.
public struct RunReport: Sendable {
    public var fetches: [SourceFetchResult]
    public var deliveries: [DeliveryResult]
    public var duration: Duration
    /// Sources that have failed `[report] after_failures` runs in a row or more (default 3): worth a look.
    public var failingSources: [SourceHealth] = []
    /// What became of the operator's report mail, when `[report]` is configured and sources were fetched.
    public var operatorReport: OperatorReport.Outcome?
    /// Articles each list holds back until they have settled (`stabilize_minutes`).
    public var settling: [Settling] = []
    /// A `--dry-run`: nothing was sent, so the summary says what would have been.
    public var dryRun = false
    /// Sources were fetched first (`run`), or not (`send`): then the summary says nothing of them.
    public var fetched = true
    /// The config's zone, for the times the summary names.
    public var timeZone = TimeZone.current

    /// Articles one list holds back because they were first seen less than `stabilize_minutes` ago.
    public struct Settling: Sendable, Hashable {
        public var list: String
        public var articles: Int
        /// When the first of them may go out.
        public var until: Date
    }

    /// Items recorded as new sources' archives (seen, never mailed).
    public var archived: Int { fetches.reduce(0) { $0 + $1.archived } }

    public var newArticles: Int {
        fetches.reduce(0) { total, result in
            if case .fetched(_, let new) = result.outcome { return total + new }
            return total
        }
    }
    public var failedSources: [SourceFetchResult] { fetches.filter { if case .failed = $0.outcome { true } else { false } } }
    public var sent: Int { deliveries.count { if case .sent = $0.outcome { true } else { false } } }
    public var failedDeliveries: [DeliveryResult] { deliveries.filter(\.isFailure) }
    public var alreadySent: Int { deliveries.count { $0.outcome == .alreadySent } }
    public var nothingNew: Int { deliveries.count { $0.outcome == .nothingNew } }
    /// Digests sent again after an interrupted run had handed them over whole: their readers
    /// may see the same message twice (ADR 0004).
    public var mayBeRepeats: [DeliveryResult] { deliveries.filter(\.mayBeRepeat) }

    /// True when some source or delivery failed.
    public var hasFailures: Bool { !failedSources.isEmpty || !failedDeliveries.isEmpty }
    /// True when the run could do none of its work: no source fetched and no digest sent,
    /// and something failed.
    public var failedCompletely: Bool {
        (fetches.isEmpty || failedSources.count == fetches.count) && sent == 0 && hasFailures
    }

    /// One line for the log: what was fetched and sent.
    public var summary: String {
        let notModified = fetches.count { $0.outcome == .notModified }
        let notDue = fetches.count { if case .notDue = $0.outcome { true } else { false } }
        var line = ""
        if fetched {
            line += "sources: \(fetches.count) (\(failedSources.count) failed, \(notModified) not modified, \(notDue) not due); "
            line += "new articles: \(newArticles)"
            if archived > 0 { line += " (and \(archived) archived on new sources' first fetch: `backfill` mails none of them)" }
            line += "; "
        }
        line += (dryRun ? "digests that would be sent: " : "digests sent: ") + "\(sent), already sent: \(alreadySent), "
        line += "nothing new: \(nothingNew), failed: \(failedDeliveries.count)"
        if !mayBeRepeats.isEmpty { line += ", sent again after an interrupted hand-over (may arrive twice): \(mayBeRepeats.count)" }
        return line + "; took \(String(format: "%.2f", duration.seconds)) s"
    }

    /// Why articles stored in this run are not in its digests, one line per reason, or none.
    public var heldBack: [String] {
        settling.map { held in
            let style = Date.FormatStyle(date: .omitted, time: .shortened, timeZone: timeZone)
            return "\(held.list): \(held.articles) article(s) first seen less than stabilize_minutes ago wait for the next digest "
                + "(the first from \(held.until.formatted(style)))"
        }
    }
}

/// `gazette run`: fetch every source, then build and send every list's digests.
public struct DailyRun: Sendable {
    public var config: GazetteConfig
    /// Only this list, when set.
    public var listName: String?
    /// Fetch the sources first (`gazette run`); `gazette send` skips it.
    public var fetchFirst: Bool
    /// Send again digests the server refused for good (`gazette send --resend-failed`).
    public var resendRejected: Bool
    /// Send a new edition now, whatever the schedule says (`--force`).
    public var force: Bool
    /// Only this subscriber's digest of the current edition, even if the edition was handled
    /// for everyone else (`gazette send --subscriber`), through the ledger as usual.
    public var onlySubscriber: String?

    public init(
        config: GazetteConfig, listName: String? = nil, fetchFirst: Bool = true, resendRejected: Bool = false, force: Bool = false
    ) {
        self.config = config
        self.listName = listName
        self.fetchFirst = fetchFirst
        self.resendRejected = resendRejected
        self.force = force
    }

    public func run(environment: AppEnvironment) async throws -> RunReport {
        let clock = ContinuousClock()
        let start = clock.now
        let lists = try listName.map { [try config.list(named: $0)] } ?? config.lists
        let fetches = fetchFirst ? try await SourceFetch(config: config).run(config.sources, environment: environment) : []
        var deliveries: [DeliveryResult] = []
        var settling: [RunReport.Settling] = []
        var delivery = DigestDelivery(
            timeZone: config.timeZone, retryDelays: config.retryDelays, bounceLimit: config.bounceLimit,
            retryRejected: resendRejected)
        delivery.returnPath = config.returnedMail.returnPath
        for list in lists {
            // Each scheduled occurrence is one edition, handled once for everybody; later runs
            // only retry what failed. --force makes a new edition of the current moment.
            let now = environment.now()
            let scheduled = delivery.edition(of: list, at: now)
            let edition = force ? (key: Schedule.editionKey(now, in: config.timeZone), scheduledAt: now) : scheduled
            if let only = onlySubscriber {
                deliveries += try await delivery.run(list: list, edition: edition.key, only: only, environment: environment)
                continue
            }
            let completed = try environment.database.isEditionCompleted(listName: list.name, edition: edition.key)
            if !completed, !force, now.timeIntervalSince(edition.scheduledAt) > list.rules.catchUp {
                environment.logger.info("\(list.name): edition \(edition.key) is past its catch-up time; the next one takes its articles")
                continue
            }
            deliveries += try await delivery.run(
                list: list, edition: edition.key, retryOnly: completed, environment: environment)
            if let held = try heldForSettling(list, now: now, environment: environment) { settling.append(held) }
            if !completed {
                try environment.database.markEditionCompleted(
                    listName: list.name, edition: edition.key, scheduledAt: edition.scheduledAt, at: environment.now())
            }
        }
        _ = try Retention(config: config).pruneIfDue(environment: environment)
        var report = RunReport(fetches: fetches, deliveries: deliveries, duration: clock.now - start)
        report.settling = settling
        report.fetched = fetchFirst
        report.timeZone = config.timeZone
        let configured = Set(config.sources.map(\.name))
        report.failingSources = try environment.database.sourceHealth()
            .filter { configured.contains($0.source.name) && $0.consecutiveFailures >= config.failingThreshold }
        if fetchFirst, let settings = config.report {
            report.operatorReport = try await OperatorReport(settings: settings, timeZone: config.timeZone)
                .sendIfDue(failing: report.failingSources, environment: environment)
        }
        environment.logger.info(
            "run finished: \(report.summary)",
            metadata: [
                "sources": .stringConvertible(report.fetches.count), "failedSources": .stringConvertible(report.failedSources.count),
                "newArticles": .stringConvertible(report.newArticles), "sent": .stringConvertible(report.sent),
                "failedDeliveries": .stringConvertible(report.failedDeliveries.count),
                "mayArriveTwice": .stringConvertible(report.mayBeRepeats.count),
            ])
        return report
    }

    /// The articles `list` holds back for being too fresh, if any.
    private func heldForSettling(_ list: SubscriberList, now: Date, environment: AppEnvironment) throws -> RunReport.Settling? {
        let wait = list.rules.stabilization
        guard wait > 0 else { return nil }
        let fresh = try environment.database.articles(firstSeenIn: DigestWindow(start: now.addingTimeInterval(-wait), end: now))
        guard let first = fresh.map(\.firstSeenAt).min() else { return nil }
        return RunReport.Settling(list: list.name, articles: fresh.count, until: first.addingTimeInterval(wait))
    }
}
