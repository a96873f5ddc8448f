import Foundation
import GazetteTestSupport
import Testing

/// `gazette subscribers …` and `gazette lists …` as an editor types them: the real binary,
/// a real SQLite file, the outbox folder as the transport.
@Suite struct SubscriberCommandsTests {
    private func gazette(_ arguments: [String], in folder: TemporaryDirectory) throws -> GazetteBinary.Result {
        try GazetteBinary.run(arguments, in: folder.url, environment: ["GAZETTE_TOKEN_KEY": "cli test key"])
    }

    @Test func everySubscriberCommandWithItsExitCodes() throws {
        let folder = try TemporaryDirectory("gazette-subscribers")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url, sources: [])
        #expect(try gazette(["lists", "add", "weekly", "--title", "Weekly Opinion", "--sender-address", "weekly@sample.test",
            "--schedule", "weekly monday 07:00", "--sections", "Opinions"], in: folder).status == 0)

        let add = try gazette(["subscribers", "add", "dana@bücher.test", "--name", "Dana", "--list", "daily", "--list", "weekly"], in: folder)
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout == "added dana@xn--bcher-kva.test\n")
        #expect(try gazette(["subscribers", "add", "omer@sample.test", "--list", "daily", "--tags", "Turkey"], in: folder).status == 0)
        #expect(try gazette(["subscribers", "add", "x@sample.test", "--list", "nope"], in: folder).status == 67)
        #expect(try gazette(["subscribers", "add", "\"x y\"@sample.test"], in: folder).stderr.contains("is quoted"))

        let show = try gazette(["subscribers", "show", "DANA@xn--bcher-kva.test", "--json"], in: folder)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "active")
        #expect((object["lists"] as? [[String: Any]])?.compactMap { $0["list"] as? String } == ["daily", "weekly"])
        #expect(try gazette(["subscribers", "show", "nobody@sample.test"], in: folder).status == 67)

        #expect(try gazette(["subscribers", "pause", "omer@sample.test"], in: folder).stdout == "omer@sample.test is paused\n")
        let follow = try gazette(["subscribers", "follow", "omer@sample.test", "News > Israel"], in: folder)
        #expect(follow.stdout == "omer@sample.test now follows News > Israel in daily\nomer@sample.test (paused): daily (News > Israel, #Turkey)\n")
        #expect(try gazette(["subscribers", "unfollow", "omer@sample.test", "#Turkey"], in: folder).stdout.contains("daily (News > Israel)"))
        #expect(try gazette(["subscribers", "update", "omer@sample.test", "--name", "Omer Levi", "--join", "weekly"], in: folder).status == 0)

        let table = try gazette(["subscribers", "list"], in: folder)
        #expect(table.stdout.split(separator: "\n").first == "EMAIL                    NAME       STATUS        LISTS")
        #expect(table.stdout.contains("omer@sample.test         Omer Levi  paused        daily (News > Israel); weekly (News > Israel)"))
        #expect(table.stdout.hasSuffix("\n2 subscribers: 1 active, 1 paused\n"))
        let paused = try gazette(["subscribers", "list", "--status", "paused", "--json"], in: folder)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(paused.stdout.utf8)) as? [[String: Any]])
        #expect(array.map { $0["email"] as? String } == ["omer@sample.test"])
        #expect(try gazette(["subscribers", "list", "--status", "gone"], in: folder).status == 64)
        #expect(try gazette(["subscribers", "resume", "omer@sample.test"], in: folder).status == 0)

        // Unsubscribed stays unsubscribed: add, import and resume refuse; resubscribe is explicit.
        #expect(try gazette(["subscribers", "unsubscribe", "omer@sample.test"], in: folder).stdout.contains("is unsubscribed"))
        let again = try gazette(["subscribers", "add", "omer@sample.test"], in: folder)
        #expect(again.status == 5)
        #expect(again.stderr.contains("is unsubscribed and stays so"))
        #expect(try gazette(["subscribers", "resume", "omer@sample.test"], in: folder).status == 5)
        let csv = folder.url.appendingPathComponent("again.csv")
        try "email,name\nomer@sample.test,Omer\nnew@sample.test,New\n".write(to: csv, atomically: true, encoding: .utf8)
        let imported = try gazette(["subscribers", "import", csv.path, "--update"], in: folder)
        #expect(imported.status == 0)
        #expect(imported.stdout.contains("1 added, 0 updated, 0 already subscribed, 0 merged, 1 kept unsubscribed, 0 rejected"))
        #expect(imported.stderr.contains("line 2: omer@sample.test is unsubscribed; left as is (use --resubscribe)"))
        #expect(try gazette(["subscribers", "resubscribe", "omer@sample.test"], in: folder).stdout == "omer@sample.test is active again\n")

        // remove asks first; without a terminal it needs --yes.
        let refused = try gazette(["subscribers", "remove", "new@sample.test"], in: folder)
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("standard input is not a terminal; pass --yes"))
        #expect(try gazette(["subscribers", "remove", "new@sample.test", "--yes", "--erase"], in: folder).stdout
            == "removed new@sample.test and erased their history\n")
        #expect(try gazette(["subscribers", "remove", "new@sample.test", "--yes"], in: folder).status == 67)
    }

    @Test func importExitCodesAndAnExportThatImportsBackUnchanged() throws {
        let folder = try TemporaryDirectory("gazette-csv")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url, sources: [])
        let csv = folder.url.appendingPathComponent("in.csv")
        try ("\u{FEFF}email,name,lists,sections,tags\r\n"
            + "a@sample.test,\"Levi, Omer\",daily,News > Middle East,Turkey;ISF\r\n"
            + "b@sample.test,\"two\r\nlines\",,,\r\n"
            + "broken,Nobody,,,\r\n"
            + "c@sample.test,C,unknown-list,,\r\n").write(to: csv, atomically: true, encoding: .utf8)

        let strict = try gazette(["subscribers", "import", csv.path, "--strict"], in: folder)
        #expect(strict.status == 65)
        #expect(strict.stdout.contains("(--strict: nothing was imported)"))
        let dry = try gazette(["subscribers", "import", csv.path, "--dry-run"], in: folder)
        #expect(dry.status == 3)
        #expect(dry.stdout.contains("2 added") && dry.stdout.contains("(dry run: nothing was written)"))
        #expect(try gazette(["subscribers", "list"], in: folder).stdout == "no subscribers\n")
        let real = try gazette(["subscribers", "import", csv.path], in: folder)
        #expect(real.status == 3)
        #expect(real.stderr.contains("in.csv: line 5: 'broken' is not an email address (no '@')"))
        #expect(real.stderr.contains("in.csv: line 6: no list named 'unknown-list' (lists: daily)"))
        #expect(try gazette(["subscribers", "import", "missing.csv"], in: folder).status == 66)

        let exported = folder.path("out.csv")
        #expect(try gazette(["subscribers", "export", exported], in: folder).stdout == "exported 2 subscribers to \(exported)\n")
        let first = try String(contentsOfFile: exported, encoding: .utf8)
        #expect(first == "email,name,lists,sections,tags,mute_sections,mute_tags,status\r\n"
            + "a@sample.test,\"Levi, Omer\",daily,News > Middle East,Turkey;ISF,,,active\r\n"
            + "b@sample.test,two lines,daily,,,,,active\r\n")  // line breaks in names become spaces on import
        // Into a fresh database and out again: the same bytes.
        let copy = try TemporaryDirectory("gazette-csv-copy")
        defer { copy.remove() }
        try TestConfig.write(in: copy.url, sources: [])
        #expect(try gazette(["subscribers", "import", exported], in: copy).status == 0)
        #expect(try gazette(["subscribers", "export"], in: copy).stdout == first)
    }

    @Test func doubleOptInMailsAConfirmationIntoTheOutboxAndConfirmActivates() throws {
        let folder = try TemporaryDirectory("gazette-optin")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url, list: ["double_opt_in = true"])
        let add = try gazette(["subscribers", "add", "pat@sample.test"], in: folder)
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.contains("added pat@sample.test as pending; a confirmation mail for 'daily' went out"))
        let outbox = folder.url.appendingPathComponent("outbox/new")
        let files = try FileManager.default.contentsOfDirectory(at: outbox, includingPropertiesForKeys: nil)
        #expect(files.count == 1)
        let mail = try #require(try ParsedEmail.parse(files).first)
        #expect(mail.defects.isEmpty)
        #expect(mail.headers["Subject"] == "Please confirm your subscription to Israel Hayom Sample Daily")
        let token = String(try #require(mail.parts.first?.body.firstMatch(of: /c1\.[0-9]+\.daily\.[A-Za-z0-9_-]+/)).output)

        // A pending subscriber gets no digest.
        let run = try gazette(["run"], in: folder)
        #expect(run.stdout.contains("digests sent: 0"), "\(run.stdout)\(run.stderr)")
        #expect(try gazette(["subscribers", "confirm", "c1.1.daily.forged"], in: folder).status == 65)
        #expect(try gazette(["subscribers", "confirm", token], in: folder).stdout == "pat@sample.test is confirmed and active\n")
        #expect(try gazette(["subscribers", "confirm", token], in: folder).stdout == "pat@sample.test was already confirmed\n")
        let forced = try gazette(["run", "--force"], in: folder)
        #expect(forced.stdout.contains("digests sent: 1"), "\(forced.stdout)\(forced.stderr)")
    }

    @Test func listsAddListShowRemoveAndADisagreementWithTheConfigIsAWarning() throws {
        let folder = try TemporaryDirectory("gazette-lists")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url, sources: [])
        #expect(try gazette(["lists", "add", "daily", "--title", "T", "--sender-address", "a@sample.test"], in: folder).status == 5)
        #expect(try gazette(["lists", "add", "weekly", "--title", "Weekly", "--sender-address", "nobody"], in: folder).status == 65)
        #expect(try gazette(["lists", "add", "weekly", "--title", "Weekly", "--sender-address", "w@sample.test"], in: folder).status == 0)
        #expect(try gazette(["lists", "add", "weekly", "--title", "Weekly", "--sender-address", "w@sample.test"], in: folder).status == 5)
        #expect(try gazette(["subscribers", "add", "w@sample.test", "--list", "weekly"], in: folder).status == 0)

        let listed = try gazette(["lists", "list"], in: folder)
        #expect(listed.stdout.contains("NAME    TITLE                      DEFINED IN  SCHEDULE     OPT-IN  ACTIVE  MEMBERS"))
        #expect(listed.stdout.contains("weekly  Weekly                     database    daily 07:00  no      1       1"))
        let shown = try gazette(["lists", "show", "weekly", "--json"], in: folder)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(object["source"] as? String == "database")
        #expect(try gazette(["lists", "show", "monthly"], in: folder).status == 67)
        #expect(try gazette(["lists", "remove", "weekly"], in: folder).status == 5)  // it has a member
        #expect(try gazette(["lists", "remove", "daily"], in: folder).status == 5)  // declared in the config

        // The config now declares "weekly" too, with another title: the config wins, loudly.
        try TestConfig.write(in: folder.url, sources: [], list: [
            "[[lists]]", "name = \"weekly\"", "title = \"Weekly from the config\"", "sender_name = \"Weekly\"",
            "sender_address = \"w@sample.test\"",
        ])
        let warned = try gazette(["subscribers", "list"], in: folder)
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("warning: list 'weekly' is declared in"))
        #expect(warned.stderr.contains("(title); "))
        #expect(try gazette(["lists", "list"], in: folder).stdout.contains("config (+database copy)"))
        #expect(try gazette(["lists", "remove", "weekly"], in: folder).status == 0)
        #expect(try gazette(["subscribers", "list"], in: folder).stderr.isEmpty)
    }
}
