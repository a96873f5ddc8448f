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
    /// Digests an earlier, interrupted run handed over whole without reading the answer.
    public var unconfirmed: [DeliveryResult] { deliveries.filter { $0.outcome == .unconfirmed } }

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
        return "sources: \(fetches.count) (\(failedSources.count) failed, \(notModified) not modified, \(notDue) not due); "
            + "new articles: \(newArticles); digests sent: \(sent), already sent: \(alreadySent), "
            + "nothing new: \(nothingNew), failed: \(failedDeliveries.count)"
            + (unconfirmed.isEmpty ? "; " : ", unconfirmed: \(unconfirmed.count); ")
            + "took \(String(format: "%.2f", duration.seconds)) s"
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
    /// Send again digests an interrupted run left unconfirmed (`gazette send --resend-unconfirmed`).
    public var resendUnconfirmed: Bool
    /// Send a new edition now, whatever the schedule says (`--force`).
    public var force: Bool

    public init(
        config: GazetteConfig, listName: String? = nil, fetchFirst: Bool = true, resendRejected: Bool = false,
        resendUnconfirmed: Bool = false, force: Bool = false
    ) {
        self.resendUnconfirmed = resendUnconfirmed
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
        var delivery = DigestDelivery(
            timeZone: config.timeZone, retryDelays: config.retryDelays, bounceLimit: config.bounceLimit,
            retryRejected: resendRejected, retryUnconfirmed: resendUnconfirmed)
        delivery.returnPath = config.returnedMail.returnPath
        for list in lists {
            // Each scheduled occurrence is one edition, handled once for everybody; later runs
            // only retry what failed. --force makes a new edition of the current moment.
            let now = environment.now()
            let scheduled = delivery.edition(of: list, at: now)
            let edition = force ? (key: Schedule.editionKey(now, in: config.timeZone), scheduledAt: now) : scheduled
            let completed = try environment.database.isEditionCompleted(listName: list.name, edition: edition.key)
            if !completed, !force, now.timeIntervalSince(edition.scheduledAt) > list.rules.catchUp {
                environment.logger.info("\(list.name): edition \(edition.key) is past its catch-up time; the next one takes its articles")
                continue
            }
            deliveries += try await delivery.run(
                list: list, edition: edition.key, retryOnly: completed, environment: environment)
            if !completed {
                try environment.database.markEditionCompleted(
                    listName: list.name, edition: edition.key, scheduledAt: edition.scheduledAt, at: environment.now())
            }
        }
        _ = try Retention(config: config).pruneIfDue(environment: environment)
        var report = RunReport(fetches: fetches, deliveries: deliveries, duration: clock.now - start)
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
                "sources": "\(report.fetches.count)", "failedSources": "\(report.failedSources.count)",
                "newArticles": "\(report.newArticles)", "sent": "\(report.sent)",
                "failedDeliveries": "\(report.failedDeliveries.count)",
            ])
        return report
    }
}
