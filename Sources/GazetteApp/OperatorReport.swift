import Foundation
import GazetteModel
import GazetteStore
import Logging
import Mailing

/// The plain-text mail to the operator listing the sources that keep failing (`[report]`).
///
/// Sent at the end of `gazette run` when sources have failed `after_failures` runs in a row,
/// through the configured transport. A run every 15 minutes must not make a mail every 15
/// minutes: the same failures are reported at most once a day, while a source that starts
/// failing is reported at once. What was reported, and when, is kept in the `setting` table.
public struct OperatorReport: Sendable {
    public var settings: OperatorReportSettings
    public var timeZone: TimeZone

    /// The `setting` key holding the last report.
    static let settingKey = "operatorReport"
    /// The same failures are mailed again after this long.
    static let repeatAfter: TimeInterval = 24 * 3600

    public init(settings: OperatorReportSettings, timeZone: TimeZone) {
        self.settings = settings
        self.timeZone = timeZone
    }

    public enum Outcome: Sendable, Hashable {
        /// Mailed to the operator, listing these sources.
        case sent(to: String, sources: [String])
        /// Nothing failing, or these failures were already reported within the day.
        case notDue
        /// The transport refused it; the next run tries again.
        case failed(String)
    }

    /// What was last mailed: the failing sources' names and when.
    struct Last: Codable, Equatable {
        var sources: [String]
        var sentAt: Date
    }

    /// Whether `failing` deserves a mail now: a source not in the last report, or a day since it.
    static func isDue(failing: Set<String>, last: Last?, now: Date) -> Bool {
        guard !failing.isEmpty else { return false }
        guard let last else { return true }
        return !failing.isSubset(of: Set(last.sources)) || now.timeIntervalSince(last.sentAt) >= repeatAfter
    }

    /// Mails the report when it is due, and remembers it; forgets the last one once nothing fails.
    public func sendIfDue(failing: [SourceHealth], environment: AppEnvironment) async throws -> Outcome {
        let database = environment.database
        let decoder = JSONDecoder()
        let last = try database.setting(Self.settingKey).flatMap { try? decoder.decode(Last.self, from: Data($0.utf8)) }
        guard !failing.isEmpty else {
            if last != nil { try database.setSetting(Self.settingKey, to: nil) }
            return .notDue
        }
        let now = environment.now()
        let names = failing.map(\.source.name).sorted()
        guard Self.isDue(failing: Set(names), last: last, now: now) else { return .notDue }
        let messageID = "gazette.report.\(environment.makeToken())@\(MailAddress(address: settings.from).domain)"
        let mail = MailMessage(
            from: MailAddress(name: "Gazette", address: settings.from), to: MailAddress(address: settings.to),
            subject: Self.subject(failing), date: now, messageID: messageID,
            // RFC 3834: an automatic message, so vacation responders stay quiet.
            extraHeaders: [("Auto-Submitted", "auto-generated")],
            text: Self.body(failing, now: now, timeZone: timeZone), html: "")
        let outgoing = OutgoingMessage(
            envelopeFrom: settings.from, recipient: settings.to, messageID: messageID,
            data: MIMEWriter.renderPlainText(mail, timeZone: timeZone))
        do {
            try await environment.transport.deliver(outgoing)
        } catch {
            environment.logger.error("operator report to \(settings.to) not sent: \(error)")
            return .failed(String(describing: error))
        }
        let record = try JSONEncoder().encode(Last(sources: names, sentAt: now))
        try database.setSetting(Self.settingKey, to: String(decoding: record, as: UTF8.self))
        environment.logger.info("operator report sent to \(settings.to): \(names.joined(separator: ", "))")
        return .sent(to: settings.to, sources: names)
    }

    static func subject(_ failing: [SourceHealth]) -> String {
        failing.count == 1
            ? "Gazette: source \(failing[0].source.name) keeps failing"
            : "Gazette: \(failing.count) sources keep failing"
    }

    /// The mail's text: one paragraph per source, with its last error and what to do.
    static func body(_ failing: [SourceHealth], now: Date, timeZone: TimeZone) -> String {
        let format = Date.VerbatimFormatStyle(
            format: "\(year: .defaultDigits)-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)",
            timeZone: timeZone, calendar: Calendar(identifier: .gregorian))
        var lines = [
            "These sources have failed several runs in a row (as of \(now.formatted(format)) \(timeZone.identifier)):", "",
        ]
        for source in failing.sorted(by: { $0.source.name < $1.source.name }) {
            lines.append("\(source.source.name): \(source.consecutiveFailures) failed runs in a row")
            lines.append("  feed: \(source.source.feedURL)")
            lines.append("  last success: " + (source.lastSuccessAt.map { $0.formatted(format) } ?? "never"))
            lines.append("  last error: \(source.lastError ?? "none recorded")")
            lines.append("")
        }
        lines += [
            "Digests go out without them meanwhile. Check each feed address (`gazette doctor`",
            "tries them all), fix or remove it in the config; `gazette sources` shows their health.",
            "",
            "While the same sources keep failing, this report comes at most once a day.",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
