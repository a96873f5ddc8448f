import FeedFetching
import FeedParsing
import Foundation
import GazetteModel
import Mailing

/// Checks what TOML cannot: unique names, usable URLs and addresses, known time zones.
struct ConfigValidator {
    let text: String
    let file: String
    let folder: URL
    let environment: [String: String]

    /// The environment variable holding the SMTP password.
    static let passwordVariable = "GAZETTE_SMTP_PASSWORD"

    func validate(_ raw: RawConfig) throws(ConfigError) -> GazetteConfig {
        var problems = ConfigProblems()
        let config = validate(raw, problems: &problems)
        try problems.throwIfAny()
        return config
    }

    /// Runs every check whose input is usable and keeps each problem in `problems`, so one run
    /// names them all; the config returned means something only when none was found.
    func validate(_ raw: RawConfig, problems: inout ConfigProblems) -> GazetteConfig {
        var timeZone = TimeZone.current
        if let name = raw.timezone {
            if let zone = TimeZone(identifier: name) {
                timeZone = zone
            } else {
                problems.add(problem(["timezone"], "'\(name)' is not a time zone name; use one like \"Asia/Jerusalem\" or \"UTC\""))
            }
        }
        let rawDelivery = raw.delivery ?? RawConfig.RawDelivery()
        let delivery = problems.check { () throws(ConfigError) in try self.delivery(rawDelivery) } ?? .outbox(folder: "")
        let retryDelays = rawDelivery.retryDelays?.map(\.value) ?? [30, 120]
        if !retryDelays.allSatisfy({ $0 >= 0 && $0 <= 3600 }) {
            problems.add(problem(["delivery", "retry_delays"], "each delay must be between 0 and 3600 seconds"))
        }
        let bounceLimit = rawDelivery.bounceLimit ?? 2
        if bounceLimit < 1 { problems.add(problem(["delivery", "bounce_limit"], "must be 1 or more")) }
        let retention = raw.retentionDays ?? 60
        if !(7...3650).contains(retention) { problems.add(problem(["retention_days"], "must be between 7 and 3650")) }
        let forget = raw.forgetDays ?? max(240, retention)
        if forget < retention || forget > 36500 { problems.add(problem(["forget_days"], "must be at least retention_days")) }
        let databasePath = resolvePath(raw.database ?? "gazette.sqlite")
        let defaultKeyFile = URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("gazette.key").path
        let allSources = sources(raw.sources ?? [], problems: &problems)
        let disabled = Set((raw.sources ?? []).filter { $0.enabled == false }.compactMap(\.name))
        var config = GazetteConfig(
            file: file,
            databasePath: databasePath,
            tokenKeyFile: raw.tokenKeyFile.map(resolvePath) ?? defaultKeyFile,
            templatesFolder: raw.templates.map(resolvePath),
            timeZone: timeZone,
            delivery: delivery,
            retryDelays: retryDelays.map { Duration.milliseconds(Int64($0 * 1000)) },
            bounceLimit: bounceLimit,
            sources: allSources.filter { !disabled.contains($0.name) },
            lists: lists(raw.lists ?? [], templatesFolder: raw.templates.map(resolvePath), problems: &problems))
        config.disabledSources = allSources.filter { disabled.contains($0.name) }
        for source in raw.sources ?? [] {
            let folders = (source.folder ?? "").split(separator: "/").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
            if let name = source.name, !folders.isEmpty { config.sourceFolders[name] = folders }
        }
        config.retentionDays = retention
        config.forgetDays = forget
        let lists = config.lists
        config.fetch = problems.check { () throws(ConfigError) in try fetchSettings(raw.fetch ?? RawConfig.RawFetch()) } ?? FetchSettings()
        config.sites = sites(raw.sites ?? [], problems: &problems)
        config.aliases = NameAliases(raw.aliases ?? [:])
        config.passwordFile = rawDelivery.passwordFile.map(resolvePath)
        // With a list refused above, "no list to borrow a sender from" would be a false second problem.
        if lists.count == (raw.lists ?? []).count {
            config.report = problems.check { () throws(ConfigError) in try report(raw.report, lists: lists) } ?? nil
        }
        config.returnedMail =
            problems.check { () throws(ConfigError) in try returnedMail(raw.bounces, delivery: rawDelivery) } ?? config.returnedMail
        config.web = problems.check { () throws(ConfigError) in try web(raw.web) } ?? nil
        return config
    }

    /// `[bounces]` and `[delivery] return_path`. A returned hard bounce counts toward
    /// `bounce_limit` when it is set, else one is enough: a report that says the address does
    /// not exist is surer than a refusal during sending (whose default stays 2).
    private func returnedMail(_ raw: RawConfig.RawBounces?, delivery: RawConfig.RawDelivery) throws(ConfigError) -> ReturnedMailSettings {
        if let returnPath = delivery.returnPath {
            if case .failure(let reason) = EmailAddress.validate(returnPath) { throw problem(["delivery", "return_path"], reason.description) }
            guard !returnPath.contains("+") else {
                throw problem(["delivery", "return_path"], "must not contain '+': Gazette adds '+<token>' to it for each message")
            }
        }
        let softLimit = raw?.softLimit ?? 3
        guard (1...100).contains(softLimit) else { throw problem(["bounces", "soft_limit"], "must be between 1 and 100") }
        let softDays = raw?.softDays ?? 7
        guard (0...365).contains(softDays) else { throw problem(["bounces", "soft_days"], "must be between 0 and 365") }
        return ReturnedMailSettings(
            returnPath: delivery.returnPath, maildir: raw?.maildir.map(resolvePath),
            rules: BounceRules(hardLimit: delivery.bounceLimit ?? 1, softLimit: softLimit, softDays: softDays))
    }

    private func report(_ raw: RawConfig.RawReport?, lists: [SubscriberList]) throws(ConfigError) -> OperatorReportSettings? {
        guard let raw else { return nil }
        let to = try required(raw.to, [.key("report"), .key("to")])
        if case .failure(let reason) = EmailAddress.validate(to) { throw problem(["report", "to"], reason.description) }
        if let from = raw.from, case .failure(let reason) = EmailAddress.validate(from) {
            throw problem(["report", "from"], reason.description)
        }
        guard let from = raw.from ?? lists.first?.senderAddress else {
            throw problem(["report", "from"], "is needed when there is no list to borrow a sender_address from")
        }
        let after = raw.afterFailures ?? 3
        guard (1...1000).contains(after) else { throw problem(["report", "after_failures"], "must be between 1 and 1000") }
        return OperatorReportSettings(to: to, from: from, afterFailures: after)
    }

    private func web(_ raw: RawConfig.RawWeb?) throws(ConfigError) -> WebSettings? {
        guard let raw else { return nil }
        let baseURL = try required(raw.baseURL, [.key("web"), .key("base_url")])
        let web = WebSettings(
            baseURL: baseURL.trimmingWhitespace(), publicSubscribe: raw.subscribe ?? false,
            listen: raw.listen ?? WebSettings.defaultListen, subscribesPerHour: raw.subscribesPerHour ?? 5)
        if let reason = web.problem { throw problem(["web", "base_url"], reason) }
        if WebSettings.parseListen(web.listen) == nil {
            throw problem(["web", "listen"], "'\(web.listen)' is not HOST:PORT; write it as \"127.0.0.1:8080\"")
        }
        guard (1...10_000).contains(web.subscribesPerHour) else {
            throw problem(["web", "subscribes_per_hour"], "must be between 1 and 10000")
        }
        return web
    }

    private func sites(_ raw: [RawConfig.RawSite], problems: inout ConfigProblems) -> [SiteRules] {
        var hosts = Set<String>()
        var sites: [SiteRules] = []
        for (index, site) in raw.enumerated() {
            if let made = problems.check({ () throws(ConfigError) in try self.site(site, at: index, hosts: &hosts) }) { sites.append(made) }
        }
        return sites
    }

    private func site(_ site: RawConfig.RawSite, at index: Int, hosts: inout Set<String>) throws(ConfigError) -> SiteRules {
        let path: [TOMLKeyLocator.Component] = [.key("sites"), .index(index)]
        let host = try required(site.host, path + [.key("host")]).lowercased().trimmingWhitespace()
        guard !host.isEmpty, !host.contains("/") else {
            throw problem(path + [.key("host")], "must be a host name such as \"www.israelhayom.com\"")
        }
        guard hosts.insert(host).inserted else { throw problem(path + [.key("host")], "another [[sites]] table is for '\(host)'") }
        for (key, selector) in [("section", site.section), ("tags", site.tags), ("author", site.author), ("date", site.date)] {
            if let selector, Selector.xpath(selector) == nil {
                throw problem(path + [.key(key)], "'\(selector)' is not an XPath or CSS selector Gazette understands")
            }
        }
        var zone: TimeZone?
        if let name = site.timezone {
            guard let known = TimeZone(identifier: name) else {
                throw problem(path + [.key("timezone")], "'\(name)' is not a time zone name; use one like \"Asia/Jerusalem\"")
            }
            zone = known
        }
        if site.dateFormat != nil, site.date == nil {
            throw problem(path + [.key("date_format")], "needs `date`, the selector of the element holding the date")
        }
        return SiteRules(
            host: host, section: site.section, tags: site.tags, author: site.author, date: site.date, dateFormat: site.dateFormat,
            timeZone: zone, sectionMap: site.sectionMap ?? [:], dropSections: Set(site.dropSections ?? []))
    }

    private func fetchSettings(_ raw: RawConfig.RawFetch) throws(ConfigError) -> FetchSettings {
        var settings = FetchSettings()
        func check(_ value: Double?, _ key: String, _ range: ClosedRange<Double>) throws(ConfigError) -> Double? {
            guard let value else { return nil }
            guard range.contains(value) else {
                throw problem(["fetch", key], "must be between \(range.lowerBound.formatted()) and \(range.upperBound.formatted())")
            }
            return value
        }
        func seconds(_ value: Double) -> Duration { .milliseconds(Int64(value * 1000)) }
        if let value = try check(raw.concurrency.map(Double.init), "concurrency", 1...256) { settings.concurrency = Int(value) }
        if let value = try check(raw.perHost.map(Double.init), "per_host", 1...64) { settings.perHost = Int(value) }
        if let value = try check(raw.hostGapMS.map(Double.init), "host_gap_ms", 0...60_000) { settings.hostGap = .milliseconds(Int64(value)) }
        if let value = try check(raw.timeoutSeconds?.value, "timeout_seconds", 1...600) { settings.request.timeout = seconds(value) }
        if let value = try check(raw.connectTimeoutSeconds?.value, "connect_timeout_seconds", 1...120) {
            settings.request.connectTimeout = seconds(value)
        }
        if let value = try check(raw.stallSeconds?.value, "stall_seconds", 1...600) { settings.request.stallTimeout = seconds(value) }
        if let value = try check(raw.maxBodyMiB?.value, "max_body_mib", 0.01...1024) {
            settings.request.maxBodyBytes = Int(value * 1_048_576)
        }
        if let value = try check(raw.maxRedirects.map(Double.init), "max_redirects", 0...20) { settings.request.maxRedirects = Int(value) }
        if let value = try check(raw.maxCacheMinutes?.value, "max_cache_minutes", 0...10_080) {
            settings.maxFreshness = seconds(value * 60)
        }
        return settings
    }

    private func delivery(_ raw: RawConfig.RawDelivery) throws(ConfigError) -> GazetteConfig.Delivery {
        if raw.smtp != nil, raw.sendmail != nil {
            throw problem(["delivery", "sendmail"], "set either smtp or sendmail, not both")
        }
        if let sendmail = raw.sendmail { return .sendmail(path: resolvePath(sendmail)) }
        guard let smtp = raw.smtp else { return .outbox(folder: resolvePath(raw.outbox ?? "outbox")) }
        guard let url = URL(string: smtp), ["smtp", "smtps"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw problem(["delivery", "smtp"], "'\(smtp)' is not an smtp:// or smtps:// URL")
        }
        if url.password != nil {
            throw problem(["delivery", "smtp"], "must not hold a password; set \(Self.passwordVariable) or password_file")
        }
        var starttls = SMTPSettings.STARTTLS.required
        if let text = raw.starttls {
            guard let value = SMTPSettings.STARTTLS(rawValue: text) else {
                throw problem(["delivery", "starttls"], "must be \"required\", \"opportunistic\" or \"off\"")
            }
            starttls = value
        }
        var password = environment[Self.passwordVariable]
        if let file = raw.passwordFile {
            do {
                password = try String(contentsOfFile: resolvePath(file), encoding: .utf8).trimmingCharacters(in: .newlines)
            } catch {
                throw problem(["delivery", "password_file"], "cannot read \(resolvePath(file)): \((error as NSError).localizedDescription)")
            }
        }
        if raw.username != nil, password == nil {
            throw problem(["delivery", "username"], "needs a password: set \(Self.passwordVariable) or password_file")
        }
        if let rate = raw.maxPerSecond?.value, rate <= 0 { throw problem(["delivery", "max_per_second"], "must be more than 0") }
        let connections = raw.connections ?? 4
        guard (1...64).contains(connections) else {
            throw problem(["delivery", "connections"], "must be from 1 to 64 (SMTP sessions open at once; 1 for a server that allows one)")
        }
        return .smtp(SMTPSettings(
            url: smtp, starttls: starttls, username: raw.username, password: password, caFile: raw.caFile.map(resolvePath),
            maxPerSecond: raw.maxPerSecond?.value, connections: connections))
    }

    private func sources(_ raw: [RawConfig.RawSource], problems: inout ConfigProblems) -> [Source] {
        var names = Set<String>()
        var sources: [Source] = []
        for (index, source) in raw.enumerated() {
            if let made = problems.check({ () throws(ConfigError) in try self.source(source, at: index, names: &names) }) {
                sources.append(made)
            }
        }
        return sources
    }

    private func source(_ source: RawConfig.RawSource, at index: Int, names: inout Set<String>) throws(ConfigError) -> Source {
        let path: [TOMLKeyLocator.Component] = [.key("sources"), .index(index)]
        var missing = ConfigProblems()
        let name = missing.check { () throws(ConfigError) in try required(source.name, path + [.key("name")]) }
        let feed = missing.check { () throws(ConfigError) in try required(source.feed, path + [.key("feed")]) }
        guard let name, let feed else { throw missing.error ?? problem(path, "is incomplete") }
        guard !name.trimmingWhitespace().isEmpty else { throw problem(path + [.key("name")], "must not be empty") }
        guard names.insert(name).inserted else {
            throw problem(path + [.key("name")], "another source is already named '\(name)'")
        }
        let backfill = source.backfill ?? 0
        guard backfill >= 0 else { throw problem(path + [.key("backfill")], "must be 0 or more") }
        var kind = Source.Kind.feed
        if let type = source.type {
            guard let known = Source.Kind(rawValue: type) else {
                throw problem(path + [.key("type")], "must be \"feed\", \"sitemap\" or \"page\"")
            }
            kind = known
        }
        if kind == .page {
            guard let links = source.links else {
                throw problem(path + [.key("links")], "a page source needs `links`, a selector for its article links")
            }
            guard Selector.xpath(links) != nil else { throw problem(path + [.key("links")], "'\(links)' is not a selector Gazette understands") }
        } else if source.links != nil {
            throw problem(path + [.key("links")], "only a source of type \"page\" takes `links`")
        }
        return Source(
            name: name, feedURL: try feedURL(feed, at: path + [.key("feed")]), siteURL: source.site,
            backfill: backfill, kind: kind, enrich: source.enrich ?? false, linkSelector: source.links,
            pageMirror: source.pages.map(resolvePath))
    }

    /// http(s) and file URLs as written; a bare path becomes a file URL relative to the config.
    private func feedURL(_ text: String, at path: [TOMLKeyLocator.Component]) throws(ConfigError) -> String {
        if let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme.count > 1 {
            guard ["http", "https", "file"].contains(scheme) else {
                throw problem(path, "'\(text)' uses '\(scheme)'; feeds must be http, https or file URLs")
            }
            if scheme != "file" && url.host == nil { throw problem(path, "'\(text)' has no host") }
            return text
        }
        guard !text.isEmpty else { throw problem(path, "must not be empty") }
        return URL(fileURLWithPath: resolvePath(text)).absoluteString
    }

    private func lists(_ raw: [RawConfig.RawList], templatesFolder: String?, problems: inout ConfigProblems) -> [SubscriberList] {
        var names = Set<String>()
        var lists: [SubscriberList] = []
        for (index, list) in raw.enumerated() {
            if let made = problems.check({ () throws(ConfigError) in try self.list(list, at: index, names: &names, templatesFolder: templatesFolder) }) { lists.append(made) }
        }
        return lists
    }

    private func list(
        _ list: RawConfig.RawList, at index: Int, names: inout Set<String>, templatesFolder: String?
    ) throws(ConfigError) -> SubscriberList {
        let path: [TOMLKeyLocator.Component] = [.key("lists"), .index(index)]
        var missing = ConfigProblems()
        let name = missing.check { () throws(ConfigError) in try required(list.name, path + [.key("name")]) }
        let title = missing.check { () throws(ConfigError) in try required(list.title, path + [.key("title")]) }
        let senderAddress = missing.check { () throws(ConfigError) in try required(list.senderAddress, path + [.key("sender_address")]) }
        guard let name, let title, let senderAddress else { throw missing.error ?? problem(path, "is incomplete") }
        guard SubscriberList.isValidName(name) else {
            throw problem(path + [.key("name")], "'\(name)' must be letters, digits, '.', '-' or '_' (it is used on the command line)")
        }
        guard names.insert(name).inserted else {
            throw problem(path + [.key("name")], "another list is already named '\(name)'")
        }
        if case .failure(let reason) = EmailAddress.validate(senderAddress) {
            throw problem(path + [.key("sender_address")], reason.description)
        }
        if let schedule = list.schedule {
            do {
                _ = try Schedule(parsing: schedule)
            } catch {
                throw problem(path + [.key("schedule")], error.description)
            }
        }
        let depth = list.sectionDepth ?? 2
        guard (1...6).contains(depth) else { throw problem(path + [.key("section_depth")], "must be between 1 and 6") }
        for (key, template) in [
            ("unsubscribe_url", list.unsubscribeURL), ("preferences_url", list.preferencesURL), ("confirm_url", list.confirmURL),
        ] {
            guard let template else { continue }
            guard template.lowercased().hasPrefix("https://"), template.contains("{token}"),
                URL(string: template.replacingOccurrences(of: "{token}", with: "t"))?.host != nil
            else {
                throw problem(path + [.key(key)], "must be an https:// URL containing {token}, where the signed token goes")
            }
        }
        var made = SubscriberList(
            name: name, title: title, senderName: list.senderName ?? title, senderAddress: senderAddress,
            schedule: list.schedule ?? "daily 07:00", sectionDepth: depth, unsubscribeURLTemplate: list.unsubscribeURL,
            preferencesURLTemplate: list.preferencesURL, rules: try rules(list, at: path))
        made.doubleOptIn = list.doubleOptIn ?? false
        made.confirmURLTemplate = list.confirmURL
        made.language = try language(list.language, at: path, templatesFolder: templatesFolder)
        if let subject = list.subject {
            if let reason = DigestSubject.problem(in: subject) { throw problem(path + [.key("subject")], reason) }
            made.subjectTemplate = subject
        }
        return made
    }

    /// A list's language: one with strings built in or in the templates folder's `strings/`.
    private func language(_ code: String?, at path: [TOMLKeyLocator.Component], templatesFolder: String?) throws(ConfigError) -> String {
        guard let code else { return "en" }
        let known = Set(DigestStrings.builtIn.keys).union(templatesFolder.map(DigestTemplates.languages(inFolder:)) ?? [])
        guard known.contains(code) || known.contains(PluralCategory.primarySubtag(of: code)) else {
            throw problem(
                path + [.key("language")],
                "has no strings file; use one of \(known.sorted().joined(separator: ", ")) or add strings/\(code).toml to the templates folder")
        }
        return code
    }

    /// A list's digest rules; each number is checked against a sensible range.
    private func rules(_ list: RawConfig.RawList, at path: [TOMLKeyLocator.Component]) throws(ConfigError) -> DigestRules {
        func positive(_ number: Number?, _ key: String, max: Double) throws(ConfigError) -> Double? {
            guard let value = number?.value else { return nil }
            guard value >= 0, value <= max else { throw problem(path + [.key(key)], "must be between 0 and \(Int(max))") }
            return value
        }
        func count(_ value: Int?, _ key: String) throws(ConfigError) -> Int? {
            guard let value else { return nil }
            guard value >= 1, value <= 10_000 else { throw problem(path + [.key(key)], "must be between 1 and 10000") }
            return value
        }
        var rules = DigestRules()
        if let hours = try positive(list.lookbackHours, "lookback_hours", max: 24 * 365) { rules.firstDigestLookback = hours * 3600 }
        rules.maxArticleAge = try positive(list.maxAgeHours, "max_age_hours", max: 24 * 3650).map { $0 * 3600 }
        if let minutes = try positive(list.stabilizeMinutes, "stabilize_minutes", max: 24 * 60) { rules.stabilization = minutes * 60 }
        rules.sectionOrder = (list.sectionOrder ?? []).map(SectionPath.init(parsing:))
        if let hours = try positive(list.catchUpHours, "catch_up_hours", max: 24 * 31) { rules.catchUp = hours * 3600 }
        // Left out, the caps keep their defaults (`DigestRules`): a day of thousands of
        // articles is still a readable digest.
        if let cap = try count(list.maxPerSection, "max_per_section") { rules.maxPerSection = cap }
        if let cap = try count(list.maxArticles, "max_articles") { rules.maxArticles = cap }
        if let top = list.topStories {
            guard (0...50).contains(top) else { throw problem(path + [.key("top_stories")], "must be between 0 and 50") }
            rules.topStories = top
        }
        rules.presetSections = (list.sections ?? []).map(SectionPath.init(parsing:))
        rules.presetTags = list.tags ?? []
        rules.mutedSections = (list.muteSections ?? []).map(SectionPath.init(parsing:))
        rules.mutedTags = list.muteTags ?? []
        if let empty = list.emptyDigest {
            guard let value = DigestRules.EmptyDigest(rawValue: empty) else {
                throw problem(path + [.key("empty_digest")], "must be \"skip\" or \"note\"")
            }
            rules.emptyDigest = value
        }
        if let budget = list.htmlBudgetKB {
            guard (10...10_000).contains(budget) else { throw problem(path + [.key("html_budget_kb")], "must be between 10 and 10000") }
            rules.htmlBudget = budget * 1000
        }
        return rules
    }

    /// A key the config must have: missing, it is a problem (its misspelling, when one is written).
    private func required<Value>(_ value: Value?, _ path: [TOMLKeyLocator.Component]) throws(ConfigError) -> Value {
        guard let value else { throw ConfigLoader.missingKeyProblem(path, text: text, file: file) }
        return value
    }

    private func resolvePath(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return expanded }
        return folder.appendingPathComponent(expanded).standardizedFileURL.path
    }

    private func problem(_ path: [TOMLKeyLocator.Component], _ reason: String) -> ConfigError {
        .invalid(file: file, line: TOMLKeyLocator.line(of: path, in: text), key: TOMLKeyLocator.describe(path), reason: reason)
    }

    private func problem(_ keys: [String], _ reason: String) -> ConfigError {
        problem(keys.map { .key($0) }, reason)
    }
}
