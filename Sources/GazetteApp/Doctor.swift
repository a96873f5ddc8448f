import FeedFetching
import Foundation
import GazetteModel
import GazetteStore
import Mailing

/// `gazette doctor`: checks everything a run depends on — the config, the templates, the
/// database, the mail transport and each source — and says what to fix, changing nothing:
/// the database is read through a read-only connection, no message is sent and no fetch is
/// recorded. Cron's first run should never be the moment a problem shows.
public struct Doctor: Sendable {
    /// Where the SMTP password and the token key may come from.
    public var environment: [String: String]
    public var http: any HTTPClient
    public var now: @Sendable () -> Date

    public init(environment: [String: String], http: any HTTPClient, now: @escaping @Sendable () -> Date = { Date() }) {
        self.environment = environment
        self.http = http
        self.now = now
    }

    /// Loads the config at `path`: its outcome is the first check, and the rest need it.
    public func loadConfig(path: String) -> (GazetteConfig?, DoctorCheck) {
        do {
            let config = try ConfigLoader.load(path: path, environment: environment)
            let lists = config.lists.map(\.name).joined(separator: ", ")
            return (config, DoctorCheck(
                .ok, "config",
                "\(path): \(config.sources.count) source(s), \(config.lists.count) list(s)" + (lists.isEmpty ? "" : " (\(lists))")))
        } catch {
            return (nil, DoctorCheck(.fail, "config", error.description))
        }
    }

    /// Every check of a loaded config, in the order a run meets them.
    public func check(_ config: GazetteConfig) async -> [DoctorCheck] {
        var checks = files(config)
        checks += templates(config)
        let database = self.database(config)
        checks += database.checks
        checks += await delivery(config)
        checks += await web(config)
        checks += await sources(config, inspection: database.inspection)
        return checks
    }

    /// The config and the secrets' files: readable, and private where they should be.
    func files(_ config: GazetteConfig) -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        if let warning = FileMode.of(path: config.file)?.exposure(of: config.file, holding: "names your SMTP login and files") {
            checks.append(DoctorCheck(.warn, "config", warning))
        }
        if let key = environment["GAZETTE_TOKEN_KEY"], !key.isEmpty {
            checks.append(DoctorCheck(.ok, "token key", "from GAZETTE_TOKEN_KEY"))
        } else if let mode = FileMode.of(path: config.tokenKeyFile) {
            let text = (try? String(contentsOfFile: config.tokenKeyFile, encoding: .utf8)) ?? ""
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                checks.append(DoctorCheck(
                    .fail, "token key",
                    "\(config.tokenKeyFile) is empty or unreadable by this user; fix its owner, or remove it to make a new one "
                        + "(links already mailed stop working)"))
            } else if let warning = mode.exposure(of: config.tokenKeyFile, holding: "signs unsubscribe links") {
                checks.append(DoctorCheck(.warn, "token key", warning))
            } else {
                checks.append(DoctorCheck(.ok, "token key", "\(config.tokenKeyFile) (mode \(mode.octal))"))
            }
        } else {
            checks.append(DoctorCheck(
                .ok, "token key", "\(config.tokenKeyFile) does not exist yet; the first run creates it (mode 0600)"))
        }
        if let file = config.passwordFile, let warning = FileMode.of(path: file)?.exposure(of: file, holding: "holds the SMTP password") {
            checks.append(DoctorCheck(.warn, "smtp password", warning))
        }
        return checks
    }

    /// The templates compile, and render a sample digest as a run would.
    func templates(_ config: GazetteConfig) -> [DoctorCheck] {
        let origin = config.templatesFolder.map { "built-in templates overridden by \($0)" } ?? "built-in templates"
        do {
            let templates = try DigestTemplates.load(overrideDirectory: config.templatesFolder)
            let list = config.lists.first ?? SampleDigest.list
            let rendered = try templates.render(
                SampleDigest.model(list: list, date: now(), timeZone: config.timeZone, strings: templates.strings(for: list.language)))
            let size = { (text: String) in String(format: "%.1f kB", Double(text.utf8.count) / 1000) }
            return [DoctorCheck(.ok, "templates", "\(origin) render a sample digest (text \(size(rendered.text)), HTML \(size(rendered.html)))")]
        } catch {
            return [DoctorCheck(.fail, "templates", error.description)]
        }
    }
}
