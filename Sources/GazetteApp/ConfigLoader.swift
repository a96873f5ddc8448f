import Foundation
import GazetteModel
import TOMLKit

/// Reads and checks `gazette.toml`.
public enum ConfigLoader {
    /// Loads the config at `path`.
    /// - Throws: `ConfigError` naming the file, line and key of the first problem.
    /// - Parameter environment: where the SMTP password is looked up (`GAZETTE_SMTP_PASSWORD`).
    public static func load(path: String, environment: [String: String] = [:]) throws(ConfigError) -> GazetteConfig {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw .missingFile(path: path) }
        if isFolder.boolValue { throw .unreadable(path: path, reason: "it is a folder; --config names the gazette.toml file") }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path, reason: PlainFileError.reason(error))
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        return try parse(text, file: path, relativeTo: folder, environment: environment)
    }

    /// Parses config text; relative paths resolve against `folder`.
    public static func parse(
        _ text: String, file: String, relativeTo folder: URL, environment: [String: String] = [:]
    ) throws(ConfigError) -> GazetteConfig {
        if let problem = TOMLCrashGuard.firstProblem(in: text) {
            throw .syntax(file: file, line: problem.line, column: problem.column, reason: problem.reason)
        }
        let raw: RawConfig
        do {
            raw = try TOMLDecoder(strictDecoding: true).decode(RawConfig.self, from: text)
        } catch let error as TOMLParseError {
            throw .syntax(file: file, line: error.source.begin.line, column: error.source.begin.column, reason: error.description)
        } catch let error as UnexpectedKeysError {
            let (key, path) = error.keys.sorted { $0.key < $1.key }.first ?? ("?", [])
            let fullPath = TOMLKeyLocator.normalized(path.map(TOMLKeyLocator.Component.init) + [.key(key)])
            let guess = TOMLKeyLocator.suggestion(for: key).map { "did you mean \($0)? " } ?? ""
            throw .invalid(
                file: file, line: TOMLKeyLocator.line(of: fullPath, in: text), key: TOMLKeyLocator.describe(fullPath),
                reason: "unknown key; \(guess)check its spelling against `gazette init`'s starter config")
        } catch let error as DecodingError {
            throw decodingProblem(error, text: text, file: file)
        } catch {
            throw .syntax(file: file, line: 0, column: 0, reason: String(describing: error))
        }
        return try ConfigValidator(text: text, file: file, folder: folder, environment: environment).validate(raw)
    }

    private static func decodingProblem(_ error: DecodingError, text: String, file: String) -> ConfigError {
        let (path, reason): ([any CodingKey], String)
        switch error {
        case .keyNotFound(let key, let context):
            (path, reason) = (context.codingPath + [key], "is required but missing")
        case .typeMismatch(let type, let context):
            (path, reason) = (context.codingPath, "must be \(TOMLKeyLocator.typeName(type))")
        case .valueNotFound(let type, let context):
            (path, reason) = (context.codingPath, "must be \(TOMLKeyLocator.typeName(type))")
        case .dataCorrupted(let context):
            (path, reason) = (context.codingPath, context.debugDescription)
        @unknown default:
            (path, reason) = ([], String(describing: error))
        }
        let components = TOMLKeyLocator.normalized(path.map(TOMLKeyLocator.Component.init))
        // TOMLKit reports a value of the wrong type as a missing key.
        let wrongType = if case .keyNotFound = error { TOMLKeyLocator.isWritten(components, in: text) } else { false }
        // A required key missing beside a misspelling of it: the misspelling is the mistake.
        if case .keyNotFound(let key, _) = error, !wrongType,
            let misspelt = TOMLKeyLocator.writtenKeys(besides: components, in: text).first(where: {
                TOMLKeyLocator.suggestion(for: $0.key, among: [key.stringValue]) != nil
            })
        {
            return .invalid(
                file: file, line: misspelt.line, key: TOMLKeyLocator.describe(Array(components.dropLast()) + [.key(misspelt.key)]),
                reason: "unknown key; did you mean \(key.stringValue)? (it is required)")
        }
        return .invalid(
            file: file, line: TOMLKeyLocator.line(of: components, in: text), key: TOMLKeyLocator.describe(components),
            reason: wrongType ? "has a value of the wrong type (text must be in quotes, numbers without)" : reason)
    }
}

/// A TOML number written either way, `30` or `0.5`: TOML keeps integers and floats apart,
/// people do not.
struct Number: Decodable {
    let value: Double

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let double = try? container.decode(Double.self) {
            value = double
        } else {
            value = Double(try container.decode(Int.self))
        }
    }
}

/// The config file's shape, as TOML spells it.
struct RawConfig: Decodable {
    var database: String?
    var templates: String?
    var timezone: String?
    var tokenKeyFile: String?
    var retentionDays: Int?
    var forgetDays: Int?
    var delivery: RawDelivery?
    var fetch: RawFetch?
    var report: RawReport?
    var bounces: RawBounces?
    var web: RawWeb?
    var sites: [RawSite]?
    var aliases: [String: String]?

    enum CodingKeys: String, CodingKey {
        case database, templates, timezone, delivery, sources, lists, fetch, report, sites, aliases, bounces, web
        case tokenKeyFile = "token_key_file"
        case retentionDays = "retention_days"
        case forgetDays = "forget_days"
    }
    var sources: [RawSource]?
    var lists: [RawList]?

    struct RawDelivery: Decodable {
        var smtp: String?
        var starttls: String?
        var username: String?
        var passwordFile: String?
        var caFile: String?
        var maxPerSecond: Number?
        var sendmail: String?
        var outbox: String?
        var retryDelays: [Number]?
        var bounceLimit: Int?
        var returnPath: String?

        enum CodingKeys: String, CodingKey {
            case smtp, starttls, username, sendmail, outbox
            case passwordFile = "password_file"
            case caFile = "ca_file"
            case maxPerSecond = "max_per_second"
            case retryDelays = "retry_delays"
            case bounceLimit = "bounce_limit"
            case returnPath = "return_path"
        }
    }

    struct RawBounces: Decodable {
        var maildir: String?
        var softLimit: Int?
        var softDays: Int?

        enum CodingKeys: String, CodingKey {
            case maildir
            case softLimit = "soft_limit"
            case softDays = "soft_days"
        }
    }

    struct RawFetch: Decodable {
        var concurrency: Int?
        var perHost: Int?
        var hostGapMS: Int?
        var timeoutSeconds: Number?
        var connectTimeoutSeconds: Number?
        var stallSeconds: Number?
        var maxBodyMiB: Number?
        var maxRedirects: Int?
        var maxCacheMinutes: Number?

        enum CodingKeys: String, CodingKey {
            case concurrency
            case perHost = "per_host"
            case hostGapMS = "host_gap_ms"
            case timeoutSeconds = "timeout_seconds"
            case connectTimeoutSeconds = "connect_timeout_seconds"
            case stallSeconds = "stall_seconds"
            case maxBodyMiB = "max_body_mib"
            case maxRedirects = "max_redirects"
            case maxCacheMinutes = "max_cache_minutes"
        }
    }

    struct RawReport: Decodable {
        var to: String
        var from: String?
        var afterFailures: Int?

        enum CodingKeys: String, CodingKey {
            case to, from
            case afterFailures = "after_failures"
        }
    }

    struct RawWeb: Decodable {
        var baseURL: String
        var subscribe: Bool?
        var listen: String?
        var subscribesPerHour: Int?

        enum CodingKeys: String, CodingKey {
            case subscribe, listen
            case baseURL = "base_url"
            case subscribesPerHour = "subscribes_per_hour"
        }
    }

    struct RawSource: Decodable {
        var name: String
        var feed: String
        var site: String?
        var backfill: Int?
        var type: String?
        var enrich: Bool?
        var links: String?
        var pages: String?
        var enabled: Bool?
        /// The folder a feed reader kept it in ("News / World"), for OPML export.
        var folder: String?
    }

    struct RawSite: Decodable {
        var host: String
        var section: String?
        var tags: String?
        var author: String?
        var date: String?
        var dateFormat: String?
        var timezone: String?
        var sectionMap: [String: String]?
        var dropSections: [String]?

        enum CodingKeys: String, CodingKey {
            case host, section, tags, author, date, timezone
            case dateFormat = "date_format"
            case sectionMap = "section_map"
            case dropSections = "drop_sections"
        }
    }

    struct RawList: Decodable {
        var name: String
        var title: String
        var senderName: String?
        var senderAddress: String
        var schedule: String?
        var sectionDepth: Int?
        var unsubscribeURL: String?
        var preferencesURL: String?
        var lookbackHours: Number?
        var maxAgeHours: Number?
        var stabilizeMinutes: Number?
        var sectionOrder: [String]?
        var maxPerSection: Int?
        var maxArticles: Int?
        var topStories: Int?
        var sections: [String]?
        var tags: [String]?
        var muteSections: [String]?
        var muteTags: [String]?
        var emptyDigest: String?
        var htmlBudgetKB: Int?
        var catchUpHours: Number?
        var doubleOptIn: Bool?
        var confirmURL: String?
        var language: String?
        var subject: String?

        enum CodingKeys: String, CodingKey {
            case name, title, schedule, sections, tags, language, subject
            case senderName = "sender_name"
            case senderAddress = "sender_address"
            case sectionDepth = "section_depth"
            case unsubscribeURL = "unsubscribe_url"
            case preferencesURL = "preferences_url"
            case lookbackHours = "lookback_hours"
            case maxAgeHours = "max_age_hours"
            case stabilizeMinutes = "stabilize_minutes"
            case sectionOrder = "section_order"
            case maxPerSection = "max_per_section"
            case maxArticles = "max_articles"
            case topStories = "top_stories"
            case muteSections = "mute_sections"
            case muteTags = "mute_tags"
            case emptyDigest = "empty_digest"
            case htmlBudgetKB = "html_budget_kb"
            case catchUpHours = "catch_up_hours"
            case doubleOptIn = "double_opt_in"
            case confirmURL = "confirm_url"
        }
    }
}
