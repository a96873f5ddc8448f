import Foundation
@testable import GazetteApp
import GazetteModel
import Mailing
import Testing

@Suite struct ConfigLoaderTests {
    let folder = URL(fileURLWithPath: "/srv/gazette")

    private func load(_ text: String) throws(ConfigError) -> GazetteConfig {
        try ConfigLoader.parse(text, file: "gazette.toml", relativeTo: folder)
    }

    private let valid = """
        database = "data/gazette.sqlite"
        timezone = "Asia/Jerusalem"

        [delivery]
        outbox = "outbox"

        [[sources]]
        name = "ih"
        feed = "https://www.israelhayom.test/feed/"

        [[sources]]
        name = "local"
        feed = "sample-site/feed.xml"

        [[lists]]
        name = "daily"
        title = "Daily"
        sender_name = "Digest"
        sender_address = "digest@sample.test"
        """

    @Test func readsEverySettingAndResolvesPathsAgainstTheConfigFolder() throws {
        let config = try load(valid)
        #expect(config.databasePath == "/srv/gazette/data/gazette.sqlite")
        #expect(config.delivery == .outbox(folder: "/srv/gazette/outbox"))
        #expect(config.sources.map(\.feedURL) == ["https://www.israelhayom.test/feed/", "file:///srv/gazette/sample-site/feed.xml"])
        #expect(config.lists.first?.sectionDepth == 2)
        #expect(config.timeZone.identifier == "Asia/Jerusalem")
    }

    @Test func returnedMailSettingsHaveTheirDefaultsAndBounceLimitCarriesOver() throws {
        let plain = try load(valid)
        #expect(plain.returnedMail.returnPath == nil)
        #expect(plain.returnedMail.rules == BounceRules(hardLimit: 1, softLimit: 3, softDays: 7))
        #expect(plain.bounceLimit == 2, "the SMTP path's documented default is unchanged")
        let set = try load(
            valid.replacingOccurrences(
                of: "outbox = \"outbox\"",
                with: "outbox = \"outbox\"\nbounce_limit = 3\nreturn_path = \"bounces@sample.test\"\n[bounces]\nmaildir = \"mail/bounces\"\nsoft_limit = 2\nsoft_days = 4"))
        #expect(set.returnedMail.returnPath == "bounces@sample.test")
        #expect(set.returnedMail.maildir == "/srv/gazette/mail/bounces")
        #expect(set.returnedMail.rules == BounceRules(hardLimit: 3, softLimit: 2, softDays: 4))
    }

    @Test func aReturnPathWithAPlusIsRefusedWithItsKey() {
        let text = valid.replacingOccurrences(of: "outbox = \"outbox\"", with: "outbox = \"outbox\"\nreturn_path = \"b+x@sample.test\"")
        #expect {
            try load(text)
        } throws: { error in
            guard case .invalid(_, _, let key, let reason) = error as? ConfigError else { return false }
            return key == "delivery.return_path" && reason.contains("must not contain '+'")
        }
    }

    @Test func smtpConnectionsDefaultToFourAndMustBeOneOrMore() throws {
        func connections(_ extra: String) throws(ConfigError) -> Int? {
            let config = try load(valid.replacingOccurrences(
                of: "outbox = \"outbox\"", with: "smtp = \"smtp://127.0.0.1:2525\"\nstarttls = \"off\"" + extra))
            guard case .smtp(let settings) = config.delivery else { return nil }
            return settings.connections
        }
        #expect(try connections("") == 4)
        #expect(try connections("\nconnections = 1") == 1)
        #expect {
            try connections("\nconnections = 0")
        } throws: { error in
            guard case .invalid(_, _, let key, let reason) = error as? ConfigError else { return false }
            return key == "delivery.connections" && reason.contains("from 1 to 64")
        }
    }

    @Test func theStarterConfigIsValid() throws {
        let config = try load(StarterConfig.text)
        #expect(config.lists.map(\.name) == ["daily"])
    }

    @Test func aSyntaxErrorNamesTheLine() {
        #expect(throws: ConfigError.self) { try load("database = \"x\"\n[[lists]\nname = 1\n") }
        do {
            _ = try load("database = \"x\"\n[[lists]\nname = 1\n")
        } catch {
            guard case .syntax(let file, let line, _, _) = error else { Issue.record("expected a syntax error"); return }
            #expect(file == "gazette.toml")
            #expect(line == 2)
        }
    }

    /// Table headers toml++ (inside TOMLKit) asserts on, aborting the process, reach it no
    /// more: each is a syntax error at its line and column. Found by fuzzing; the fuzzer's
    /// inputs are in Fuzz/Regressions/ConfigLoader.
    @Test(arguments: [
        ("[ש]\nx = 1\n", 1, 2),
        ("a = 1\n[[ é ]]\n", 2, 4),
        ("a = 1\n[ = \"smtp\"\n", 2, 3),
        ("a = 1\n[[\u{10}sites]]\n", 2, 3),
        ("a = 1\n  [\nb = 2\n", 2, 4),
        ("a = 1\n[.x]\n", 2, 2),
        ("\u{FEFF}[\u{5}x]\n", 1, 2),
    ])
    func aTableNameTOMLKitCannotReadIsASyntaxErrorNotACrash(_ text: String, _ line: Int, _ column: Int) {
        #expect {
            try load(text)
        } throws: { error in
            guard case .syntax(_, let foundLine, let foundColumn, let reason) = error as? ConfigError else { return false }
            return foundLine == line && foundColumn == column && reason.contains("must be in quotes")
        }
    }

    @Test(arguments: [
        ("retry_delays = [30,} 120]\n", 1, 20),
        ("x = [\n  # a comment\n  }\n]\n", 3, 3),
        ("x = [ [1], [ } ] ]\n", 1, 14),
    ])
    func aBraceWhereAnArrayWantsAValueIsASyntaxErrorNotACrash(_ text: String, _ line: Int, _ column: Int) {
        #expect {
            try load(text)
        } throws: { error in
            guard case .syntax(_, let foundLine, let foundColumn, let reason) = error as? ConfigError else { return false }
            return foundLine == line && foundColumn == column && reason == "expected a value or ']' here, saw '}'"
        }
        // Braces where they belong are left to TOMLKit.
        #expect(TOMLCrashGuard.firstProblem(in: "x = [ {a = 1}, {}, { b = [ 1, 2 ] } ]\ny = { c = [] }\n") == nil)
    }

    /// The check reads only real headers: lines of a multi-line array or string that start
    /// with `[` are values, and the config loads.
    @Test func linesOfAMultiLineArrayOrStringThatStartWithABracketAreNotHeaders() throws {
        let text = valid.replacingOccurrences(
            of: "outbox = \"outbox\"",
            with: "outbox = \"outbox\"\nretry_delays = [ # [ {\n  30,\n  60,\n]\n")
            + "\n# [ {not a header}\n"
        #expect(TOMLCrashGuard.firstProblem(in: text) == nil)
        let arrays = "x = [\n  [ {a = 1} ],\n  [+1],\n]\ns = \"\"\"\n[ש]\n\"\"\"\nt = '[=' # [\n[ok]\n"
        #expect(TOMLCrashGuard.firstProblem(in: arrays) == nil)
        #expect(try load(text).retryDelays == [.seconds(30), .seconds(60)])
    }

    @Test func aMissingKeyNamesItsTableAndKey() {
        let text = valid.replacingOccurrences(of: "sender_address = \"digest@sample.test\"", with: "")
        #expect(throws: ConfigError.invalid(file: "gazette.toml", line: 15, key: "lists[0].sender_address", reason: "is required but missing")) {
            try load(text)
        }
    }

    @Test func aWrongTypeNamesTheLineAndKey() {
        let text = valid.replacingOccurrences(of: "name = \"local\"", with: "name = 42")
        #expect {
            try load(text)
        } throws: { error in
            guard case .invalid(_, let line, let key, let reason) = error as? ConfigError else { return false }
            return line == 12 && key == "sources[1].name" && reason.contains("wrong type")
        }
    }

    /// A required key misspelt is the misspelling's fault: named as written, at its own line.
    @Test func aMisspeltRequiredKeyIsNamedAsWrittenWithTheKeyItMeant() {
        let text = valid.replacingOccurrences(of: "sender_address = \"digest@sample.test\"", with: "sender_adress = \"digest@sample.test\"")
        #expect(
            throws: ConfigError.invalid(
                file: "gazette.toml", line: 19, key: "lists[0].sender_adress", reason: "unknown key; did you mean sender_address? (it is required)")
        ) {
            try load(text)
        }
    }

    @Test func anUnknownKeyGetsTheClosestKnownOne() {
        let text = "retention_dayz = 30\n" + valid
        #expect {
            try load(text)
        } throws: { error in
            guard case .invalid(_, let line, let key, let reason) = error as? ConfigError else { return false }
            return line == 1 && key == "retention_dayz" && reason.hasPrefix("unknown key; did you mean retention_days?")
        }
    }

    /// An editor fixing a new config sees every problem in one run, in line order, each at
    /// its own line: unknown keys and bad values together.
    @Test func everyProblemIsReportedAtOnceInLineOrder() throws {
        let text = valid
            .replacingOccurrences(of: "timezone = \"Asia/Jerusalem\"", with: "timezone = \"Mars/Olympus\"")
            .replacingOccurrences(of: "outbox = \"outbox\"", with: "outbox = \"outbox\"\nretry_delayz = [1]")
            .replacingOccurrences(of: "feed = \"https://www.israelhayom.test/feed/\"", with: "feed = \"gopher://x.test/\"")
            .replacingOccurrences(of: "sender_address = \"digest@sample.test\"", with: "sender_address = \"not-an-address\"")
        let error = try #require(throws: ConfigError.self) { try load(text) }
        guard case .several(let problems, let notShown) = error else {
            Issue.record("expected several problems, got \(error)")
            return
        }
        #expect(notShown == 0)
        let found = problems.compactMap { problem -> String? in
            guard case .invalid(_, let line, let key, _) = problem else { return nil }
            return "\(line) \(key)"
        }
        #expect(found == ["2 timezone", "6 delivery.retry_delayz", "10 sources[0].feed", "20 lists[0].sender_address"])
        let lines = error.description.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { $0.hasPrefix("config: gazette.toml, line ") })
    }

    /// A misspelt required key is unknown and missing at once: it is named once, the fuller way.
    @Test func aMisspeltRequiredKeyBesideAnotherProblemIsNamedOnce() throws {
        let text = valid
            .replacingOccurrences(of: "timezone = \"Asia/Jerusalem\"", with: "timezone = \"Mars/Olympus\"")
            .replacingOccurrences(of: "sender_address = \"digest@sample.test\"", with: "sender_adress = \"digest@sample.test\"")
        let error = try #require(throws: ConfigError.self) { try load(text) }
        let lines = error.description.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.last == "config: gazette.toml, line 19, key lists[0].sender_adress: unknown key; did you mean sender_address? (it is required)")
    }

    /// Required keys missing from two tables are all named, not only the first TOML noticed.
    @Test func everyMissingRequiredKeyIsNamed() throws {
        let text = "[[sources]]\nname = \"a\"\n\n[[lists]]\nname = \"daily\"\n"
        let error = try #require(throws: ConfigError.self) { try load(text) }
        let keys = error.description.split(separator: "\n").map { line in
            String(line.split(separator: ", key ").last?.split(separator: ":").first ?? "")
        }
        #expect(keys == ["sources[0].feed", "lists[0].title", "lists[0].sender_address"], "\(error)")
        #expect(error.description.split(separator: "\n").allSatisfy { $0.hasSuffix("is required but missing") })
    }

    /// A misspelt table is found at its header with the table it meant (was "line 0", no guess).
    @Test func anUnknownTableIsNamedAtItsHeaderWithTheClosestTable() throws {
        let text = valid.replacingOccurrences(of: "[delivery]", with: "[delivry]")
        let error = try #require(throws: ConfigError.self) { try load(text) }
        #expect(error.description.hasPrefix("config: gazette.toml, line 4, key delivry: unknown key; did you mean delivery?"), "\(error)")
    }

    /// A config with a great many problems shows the first twenty and counts the rest.
    @Test func moreThanTwentyProblemsAreCountedNotListed() throws {
        let sources = (0..<25).map { "[[sources]]\nname = \"s\($0)\"\nfeed = \"gopher://x.test/\($0)\"\n" }.joined(separator: "\n")
        let text = "timezone = \"UTC\"\n\n" + sources + "\n[[lists]]\nname = \"daily\"\ntitle = \"Daily\"\nsender_address = \"d@sample.test\"\n"
        let error = try #require(throws: ConfigError.self) { try load(text) }
        let lines = error.description.split(separator: "\n").map(String.init)
        #expect(lines.count == 21)
        #expect(lines.last == "config: and 5 more problems; fix these first")
        #expect(lines.first?.contains("line 5, key sources[0].feed") == true)
    }

    /// One rule with `gazette lists add`: the sender's name defaults to the list's title.
    @Test func senderNameDefaultsToTheTitle() throws {
        let config = try load(valid.replacingOccurrences(of: "sender_name = \"Digest\"", with: ""))
        let list = try #require(config.lists.first)
        #expect(list.senderName == list.title)
    }

    @Test func anUnknownKeyIsCaughtWithItsLine() {
        let text = valid.replacingOccurrences(of: "feed = \"sample-site/feed.xml\"", with: "feed = \"sample-site/feed.xml\"\nfeed_url = \"x\"")
        #expect {
            try load(text)
        } throws: { error in
            guard case .invalid(_, let line, let key, _) = error as? ConfigError else { return false }
            return line == 14 && key == "sources[1].feed_url"
        }
    }

    @Test(arguments: [
        ("sender_address = \"digest@sample.test\"", "sender_address = \"not-an-address\"", 19, "lists[0].sender_address"),
        ("timezone = \"Asia/Jerusalem\"", "timezone = \"Mars/Olympus\"", 2, "timezone"),
        ("feed = \"https://www.israelhayom.test/feed/\"", "feed = \"gopher://x.test/\"", 9, "sources[0].feed"),
        ("name = \"local\"", "name = \"ih\"", 12, "sources[1].name"),
        ("outbox = \"outbox\"", "smtp = \"http://mail.test\"", 5, "delivery.smtp"),
    ])
    func badValuesAreReportedWithLineAndKey(_ replace: String, _ with: String, _ line: Int, _ key: String) {
        #expect {
            try load(valid.replacingOccurrences(of: replace, with: with))
        } throws: { error in
            guard case .invalid(_, let foundLine, let foundKey, _) = error as? ConfigError else { return false }
            return foundLine == line && foundKey == key
        }
    }

    @Test func aMissingFileSaysHowToMakeOne() {
        #expect(throws: ConfigError.missingFile(path: "/nonexistent/gazette.toml")) {
            try ConfigLoader.load(path: "/nonexistent/gazette.toml")
        }
        #expect(ConfigError.missingFile(path: "x").description.contains("gazette init"))
    }
}

@Suite struct ListRulesConfigTests {
    @Test func everyDigestRuleIsReadWithIntegersOrFloats() throws {
        let text = """
            [delivery]
            retry_delays = [30, 0.5]
            [[lists]]
            name = "daily"
            title = "Daily"
            sender_name = "Digest"
            sender_address = "digest@sample.test"
            lookback_hours = 36
            max_age_hours = 48.5
            stabilize_minutes = 0
            section_order = ["Opinions", "News > Israel"]
            max_per_section = 5
            max_articles = 40
            top_stories = 3
            sections = ["News"]
            tags = ["Turkey"]
            mute_sections = ["Sports"]
            mute_tags = ["Horoscope"]
            empty_digest = "note"
            html_budget_kb = 60
            """
        let config = try ConfigLoader.parse(text, file: "gazette.toml", relativeTo: URL(fileURLWithPath: "/srv"))
        let rules = try #require(config.lists.first?.rules)
        #expect(rules.firstDigestLookback == 36 * 3600)
        #expect(rules.maxArticleAge == 48.5 * 3600)
        #expect(rules.stabilization == 0)
        #expect(rules.sectionOrder == [SectionPath(parsing: "Opinions"), SectionPath(parsing: "News > Israel")])
        #expect(rules.maxPerSection == 5 && rules.maxArticles == 40 && rules.topStories == 3)
        #expect(rules.presetSections == [SectionPath(parsing: "News")] && rules.presetTags == ["Turkey"])
        #expect(rules.mutedSections == [SectionPath(parsing: "Sports")] && rules.mutedTags == ["Horoscope"])
        #expect(rules.emptyDigest == .note)
        #expect(rules.htmlBudget == 60_000)
        #expect(config.retryDelays == [.seconds(30), .milliseconds(500)])
    }

    /// A list that sets no caps gets the documented ones (8 a section, 50 in all): a day of
    /// thousands of articles still makes a readable digest. The loader used to clear them.
    @Test func aListWithoutCapsGetsTheDefaultCaps() throws {
        let text = """
            [[lists]]
            name = "daily"
            title = "Daily"
            sender_name = "Digest"
            sender_address = "digest@sample.test"
            """
        let config = try ConfigLoader.parse(text, file: "gazette.toml", relativeTo: URL(fileURLWithPath: "/srv"))
        let rules = try #require(config.lists.first?.rules)
        #expect(rules.maxPerSection == 8)
        #expect(rules.maxArticles == 50)
        #expect(rules == DigestRules(), "every rule left out keeps its default")
    }

    @Test func aBadRuleNamesItsKey() {
        let text = """
            [[lists]]
            name = "daily"
            title = "Daily"
            sender_name = "Digest"
            sender_address = "digest@sample.test"
            empty_digest = "maybe"
            """
        #expect(throws: ConfigError.invalid(file: "gazette.toml", line: 6, key: "lists[0].empty_digest", reason: "must be \"skip\" or \"note\"")) {
            try ConfigLoader.parse(text, file: "gazette.toml", relativeTo: URL(fileURLWithPath: "/srv"))
        }
    }
}

/// A list name is typed on the command line: letters, digits, '.', '-' or '_', nothing else.
/// The check was a regular expression whose `$` also matched before a final line break, so
/// `"daily\n"` passed (and compiling it was a twentieth of `subscribers list`'s start-up).
@Suite struct ListNameTests {
    @Test(arguments: ["daily", "Daily-2", "a.b_c", "7"])
    func aNameOfLettersDigitsAndPunctuationIsAccepted(_ name: String) {
        #expect(SubscriberList.isValidName(name))
    }

    @Test(arguments: ["", "-daily", ".daily", "daily\n", "daily\r\n", "\ndaily", "dai ly", "daily!", "dåily", "daily/x"])
    func anyOtherNameIsRefused(_ name: String) throws {
        #expect(!SubscriberList.isValidName(name))
        let text = """
            [[lists]]
            name = "\(name.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r"))"
            title = "Daily"
            sender_name = "Digest"
            sender_address = "digest@sample.test"
            """
        #expect(throws: ConfigError.self) { try ConfigLoader.parse(text, file: "gazette.toml", relativeTo: URL(fileURLWithPath: "/srv")) }
    }
}

@Suite struct ReportConfigTests {
    private let list = """
        [[lists]]
        name = "daily"
        title = "Daily"
        sender_name = "Digest"
        sender_address = "digest@sample.test"
        """

    private func parse(_ text: String) throws(ConfigError) -> GazetteConfig {
        try ConfigLoader.parse(text, file: "gazette.toml", relativeTo: URL(fileURLWithPath: "/srv"))
    }

    @Test func theReportBorrowsTheFirstListsSenderAndFlagsAtThreeByDefault() throws {
        let config = try parse("[report]\nto = \"ops@sample.test\"\n" + list)
        #expect(config.report == OperatorReportSettings(to: "ops@sample.test", from: "digest@sample.test", afterFailures: 3))
        #expect(config.failingThreshold == 3)
        let custom = try parse("[report]\nto = \"ops@sample.test\"\nfrom = \"robot@sample.test\"\nafter_failures = 5\n" + list)
        #expect(custom.report == OperatorReportSettings(to: "ops@sample.test", from: "robot@sample.test", afterFailures: 5))
        #expect(custom.failingThreshold == 5)
        #expect(try parse(list).report == nil)
    }

    @Test(arguments: [
        ("[report]\nto = \"nobody\"\n", 2, "report.to"),
        ("[report]\nto = \"ops@sample.test\"\nafter_failures = 0\n", 3, "report.after_failures"),
        ("[report]\nto = \"ops@sample.test\"\nfrom = \"robot\"\n", 3, "report.from"),
        ("[report]\nto = \"ops@sample.test\"\nevery = 3\n", 3, "report.every"),
    ])
    func aBadReportNamesLineAndKey(_ report: String, _ line: Int, _ key: String) {
        #expect {
            try parse(report + list)
        } throws: { error in
            guard case .invalid(_, let foundLine, let foundKey, _) = error as? ConfigError else { return false }
            return foundLine == line && foundKey == key
        }
    }

    @Test func aReportWithoutAnyListNeedsASender() {
        #expect {
            try parse("[report]\nto = \"ops@sample.test\"\n")
        } throws: { error in
            guard case .invalid(_, let line, let key, let reason) = error as? ConfigError else { return false }
            return line == 1 && key == "report.from" && reason.contains("no list")
        }
    }
}
