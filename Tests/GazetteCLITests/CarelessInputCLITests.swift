import Foundation
import GazetteTestSupport
import Testing

/// Issue #17 through the built `gazette`: what a careless or hostile user gets, and that
/// nothing they had is lost on the way.
@Suite struct CarelessInputCLITests {
    private func folderWithSubscriber(sources: [(name: String, feed: String)] = TestConfig.sampleFeeds) throws
        -> TemporaryDirectory
    {
        let folder = try TemporaryDirectory("gazette-careless")
        try TestConfig.write(in: folder.url, sources: sources)
        let added = try GazetteBinary.run(["subscribers", "add", "dana@sample.test", "--name", "Dana"], in: folder.url)
        #expect(added.status == 0, "\(added.stderr)")
        return folder
    }

    /// A folder holding a file, to aim a command at.
    private func victim(in folder: TemporaryDirectory) throws -> URL {
        let victim = folder.url.appendingPathComponent("victim")
        try FileManager.default.createDirectory(at: victim, withIntermediateDirectories: true)
        try Data("precious".utf8).write(to: victim.appendingPathComponent("notes.txt"))
        return victim
    }

    private func expectIntact(_ victim: URL) {
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: victim.path, isDirectory: &isFolder) && isFolder.boolValue)
        #expect((try? String(contentsOf: victim.appendingPathComponent("notes.txt"), encoding: .utf8)) == "precious")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: victim.path)) == ["notes.txt"])
    }

    private func oneLine(_ result: GazetteBinary.Result) -> Bool { oneLine(result.stderr) }

    private func oneLine(_ stderr: String) -> Bool { stderr.split(separator: "\n").count == 1 }

    // MARK: - Files Gazette writes

    @Test func exportBackupInitAndPreviewRefuseAFolderAndLeaveItIntact() throws {
        let folder = try folderWithSubscriber()
        defer { folder.remove() }
        let victim = try victim(in: folder)
        for arguments in [
            ["subscribers", "export", "victim"], ["subscribers", "export", "victim", "--force"], ["backup", "victim", "--force"],
            ["init", "--config", "victim", "--force"], ["preview", "--html", "victim", "--force"],
        ] {
            let result = try GazetteBinary.run(arguments, in: folder.url)
            #expect(result.status == 66, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("victim is a folder"), "\(arguments): \(result.stderr)")
            #expect(oneLine(result), "\(arguments): \(result.stderr)")
            expectIntact(victim)
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.contains("partial") }
        #expect(left.isEmpty, "\(left)")
    }

    @Test func anExistingFileIsReplacedOnlyWithForceAndItsModeIsPrivate() throws {
        let folder = try folderWithSubscriber()
        defer { folder.remove() }
        for (command, name) in [
            (["subscribers", "export"], "out.csv"), (["backup"], "copy.sqlite"), (["preview", "--html"], "d.html"),
        ] {
            try Data("mine".utf8).write(to: folder.url.appendingPathComponent(name))
            let refused = try GazetteBinary.run(command + [name], in: folder.url)
            #expect(refused.status == 5, "\(command): \(refused.stderr)")
            #expect(refused.stderr == "gazette: \(name) exists; pass --force to replace it\n", "no usage dump")
            #expect(try String(contentsOfFile: folder.path(name), encoding: .utf8) == "mine")
            let forced = try GazetteBinary.run(command + [name, "--force"], in: folder.url)
            #expect(forced.status == 0, "\(command): \(forced.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: folder.path(name))) != Data("mine".utf8))
        }
        #expect(try String(contentsOfFile: folder.path("out.csv"), encoding: .utf8).contains("dana@sample.test"))
        #expect(statMode(folder.path("copy.sqlite")) == 0o600)
        #expect(statMode(folder.path("out.csv")) == 0o600, "an export holds addresses")

        let again = try GazetteBinary.run(["init"], in: folder.url)
        #expect(again.status == 5, "README: 5, it exists already")
        #expect(again.stderr == "gazette: gazette.toml exists; pass --force to replace it\n")
    }

    @Test func theDatabaseItsWALAndTheKeyAreCreatedForTheOwnerOnly() throws {
        let folder = try folderWithSubscriber()
        defer { folder.remove() }
        #expect(statMode(folder.path("gazette.sqlite")) == 0o600)
        #expect(statMode(folder.path("gazette.key")) == 0o600)
        // The WAL and its index exist while a connection is open; SQLite gives them the database's mode.
        let process = try GazetteBinary.start(["fetch"], in: folder.url)
        process.waitUntilExit()
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: folder.path("gazette.sqlite" + suffix)) {
            #expect(statMode(folder.path("gazette.sqlite" + suffix)) == 0o600)
        }
        let doctor = try GazetteBinary.run(["doctor"], in: folder.url)
        #expect(!doctor.stdout.contains("gazette.sqlite is readable by"), "\(doctor.stdout)")
    }

    // MARK: - Reading commands

    @Test func readingCommandsNeverCreateADatabaseOrAKey() throws {
        let folder = try TemporaryDirectory("gazette-careless")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url)
        for arguments in [
            ["subscribers", "list"], ["subscribers", "show", "a@b.test"], ["subscribers", "export"], ["lists", "list"],
            ["sources"],
            ["preview"], ["backup", "copy.sqlite"],
        ] {
            let result = try GazetteBinary.run(arguments, in: folder.url)
            #expect(result.status == 66, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("gazette.sqlite"), "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("run `gazette init` or check --database"), "\(arguments): \(result.stderr)")
            #expect(oneLine(result))
        }
        let elsewhere = try GazetteBinary.run(
            ["subscribers", "list", "--database", folder.path("no/such/dir/x.sqlite")], in: folder.url)
        #expect(elsewhere.status == 66)
        #expect(elsewhere.stderr.contains(folder.path("no/such/dir/x.sqlite")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["gazette.toml"], "nothing created")
    }

    @Test func previewFetchReadsIntoMemoryOnly() throws {
        let folder = try folderWithSubscriber()
        defer { folder.remove() }
        let preview = try GazetteBinary.run(["preview", "--fetch", "--format", "text"], in: folder.url)
        #expect(preview.status == 0, "\(preview.stderr)")
        #expect(preview.stdout.contains("== News"), "the fetched articles are in the preview")
        let fetch = try GazetteBinary.run(["fetch"], in: folder.url)
        #expect(fetch.stdout.contains("news: 24 items, 24 new"), "nothing was stored by the preview: \(fetch.stdout)")
    }

    @Test func anUnusableDatabaseIsOnePlainLineNamingIt() throws {
        let folder = try TemporaryDirectory("gazette-careless")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url)
        try Data("just some text, not a database\n".utf8).write(to: folder.url.appendingPathComponent("notes.txt"))
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("adir"), withIntermediateDirectories: true)
        for (database, arguments) in [
            ("notes.txt", ["subscribers", "list"]), ("notes.txt", ["subscribers", "add", "a@b.test"]), ("notes.txt", ["fetch"]),
            ("adir", ["subscribers", "list"]), ("adir", ["lists", "list"]),
        ] {
            let result = try GazetteBinary.run(arguments + ["--database", database], in: folder.url)
            #expect(result.status != 0)
            #expect(oneLine(result), "\(arguments) on \(database): \(result.stderr)")
            #expect(result.stderr.contains(database), "\(result.stderr)")
            for leaked in ["SQLite error", "SELECT", "while executing", "sqlite_master", "Domain=", "GRDB"] {
                #expect(!result.stderr.contains(leaked), "\(arguments) on \(database): \(result.stderr)")
            }
        }
        #expect(try String(contentsOfFile: folder.path("notes.txt"), encoding: .utf8) == "just some text, not a database\n")
    }

    @Test func aReadOnlyDatabaseIsReadByReadingCommandsAndRefusedPlainlyByWritingOnes() throws {
        let folder = try folderWithSubscriber()
        defer { folder.remove() }
        #expect(try GazetteBinary.run(["fetch"], in: folder.url).status == 0)
        let before = try Data(contentsOf: folder.url.appendingPathComponent("gazette.sqlite"))
        // The file stays root's; the commands run as another user, who may read it but not write
        // it (the folder is theirs to write, so SQLite can make the read-only WAL index there).
        chmodAll("a+rX,go-w", folder.url.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.url.path)
        let listed = try runAsNobody(["subscribers", "list", "--database", folder.path("gazette.sqlite")], in: folder.url)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("dana@sample.test"))
        let added = try runAsNobody(
            ["subscribers", "add", "eve@sample.test", "--database", folder.path("gazette.sqlite")], in: folder.url)
        #expect(added.status != 0)
        #expect(oneLine(added.stderr), "\(added.stderr)")
        #expect(added.stderr.contains("gazette.sqlite"), "\(added.stderr)")
        #expect(!added.stderr.contains("CREATE TABLE") && !added.stderr.contains("grdb"), "\(added.stderr)")
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("gazette.sqlite")) == before)
    }

    @Test func foldersGivenAsConfigOrImportAreOnePlainLine() throws {
        let folder = try folderWithSubscriber()
        defer { folder.remove() }
        let victim = try victim(in: folder)
        let config = try GazetteBinary.run(["subscribers", "list", "--config", "victim"], in: folder.url)
        #expect(config.status == 78)
        #expect(config.stderr.contains("victim") && config.stderr.contains("folder"), "\(config.stderr)")
        #expect(!config.stderr.contains("NSCocoaErrorDomain"))
        let imported = try GazetteBinary.run(["subscribers", "import", "victim"], in: folder.url)
        #expect(imported.status == 66)
        #expect(imported.stderr.contains("victim") && imported.stderr.contains("folder"), "\(imported.stderr)")
        #expect(!imported.stderr.contains("Domain="))
        expectIntact(victim)
    }

    // MARK: - Stored text never drives the terminal

    @Test func escapeSequencesAndLineBreaksInStoredTextAreShownEscaped() throws {
        let folder = try folderWithSubscriber()
        defer { folder.remove() }
        let csv =
            "email,name,sections,tags\n"
            + "eve@sample.test,\"Eve\u{1B}[2J\u{1B}[31m\u{0}\",\"News\r\n> Israel\",\"Tur\nkey;\u{202E}gnp\"\n"
        try Data(csv.utf8).write(to: folder.url.appendingPathComponent("eve.csv"))
        let imported = try GazetteBinary.run(["subscribers", "import", "eve.csv"], in: folder.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        let added = try GazetteBinary.run(
            ["subscribers", "add", "mal@sample.test", "--name", "Mal\u{1B}]0;pwned\u{7}", "--tags", "A\u{9B}31m"], in: folder.url)
        #expect(added.status == 0, "\(added.stderr)")
        let listed = try GazetteBinary.run(["subscribers", "list"], in: folder.url)
        let shown = try GazetteBinary.run(["subscribers", "show", "eve@sample.test"], in: folder.url)
        for output in [listed.stdout, shown.stdout] {
            #expect(
                !output.unicodeScalars.contains {
                    ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}"
                })
        }
        // One row per subscriber: a header, three rows, a blank line and the counts.
        #expect(listed.stdout.split(separator: "\n", omittingEmptySubsequences: false).count == 7, "\(listed.stdout)")
        #expect(listed.stdout.contains("Eve[2J[31m"))
        let exported = try GazetteBinary.run(["subscribers", "export"], in: folder.url)
        #expect(exported.stdout.contains("eve@sample.test,Eve[2J[31m,"), "stored cleaned, so the export is what the list shows")
    }

    @Test func fieldsOverTheirBoundsArePerRowErrorsInImportAndAdd() throws {
        let folder = try folderWithSubscriber()
        defer { folder.remove() }
        let huge = String(repeating: "x", count: 5_000_000)
        try Data("email,name\nok@sample.test,Ok\nbig@sample.test,\(huge)\n".utf8).write(
            to: folder.url.appendingPathComponent("big.csv"))
        let imported = try GazetteBinary.run(["subscribers", "import", "big.csv"], in: folder.url)
        #expect(imported.status == 3)
        #expect(imported.stderr == "gazette: big.csv: line 3: the name has 5000000 characters; at most 200 are kept\n")
        #expect(imported.stdout.contains("1 added"))
        for arguments in [
            ["--name", String(repeating: "n", count: 201)], ["--tags", (1...51).map { "t\($0)" }.joined(separator: ";")],
            ["--sections", String(repeating: "s", count: 101)],
        ] {
            let added = try GazetteBinary.run(["subscribers", "add", "long@sample.test"] + arguments, in: folder.url)
            #expect(added.status == 65, "\(added.stderr)")
            #expect(added.stderr.contains("at most"), "\(added.stderr)")
        }
        let title = try GazetteBinary.run(
            ["lists", "add", "weekly", "--title", String(repeating: "T", count: 201), "--sender-address", "w@sample.test"],
            in: folder.url)
        #expect(title.status == 65, "\(title.stderr)")
        #expect(title.stderr.contains("--title: the list title has 201 characters; at most 200 are kept"))
    }

    // MARK: - Logs for machines

    @Test func jsonLogsCarryOnlyJSONObjectsWithNumbersAsNumbers() throws {
        let folder = try folderWithSubscriber()
        defer { folder.remove() }
        let failed = try GazetteBinary.run(["subscribers", "list", "--list", "nosuch", "--log-format", "json"], in: folder.url)
        #expect(failed.status == 67)
        let run = try GazetteBinary.run(["run", "--log-format", "json"], in: folder.url)
        #expect(run.status == 0, "\(run.stderr)")
        var summary: [String: Any]?
        for line in (failed.stderr + run.stderr).split(separator: "\n") {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object != nil, "not a JSON object: \(line)")
            if (object?["message"] as? String)?.hasPrefix("run finished") == true { summary = object }
        }
        #expect(failed.stderr.contains("\"level\":\"error\""))
        #expect(summary?["sent"] as? Int == 1, "\(String(describing: summary))")
        #expect(summary?["newArticles"] as? Int == 32)
    }

    // MARK: - Exit codes and commands

    @Test func unknownCommandsExit64WithAGuessEvenWithHelp() throws {
        let folder = try TemporaryDirectory("gazette-careless")
        defer { folder.remove() }
        for (arguments, guess) in [
            (["sned"], "did you mean 'send'?"), (["sevre", "--help"], "did you mean 'serve'?"),
            (["subscribers", "lsit"], "did you mean 'list'?"), (["subscribers", "lsit", "--help"], "did you mean 'list'?"),
        ] {
            let result = try GazetteBinary.run(arguments, in: folder.url)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stderr.contains(guess), "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty, "no help printed")
        }
        #expect(try GazetteBinary.run(["subscribers", "--help"], in: folder.url).status == 0)
    }

    @Test func templatesThatDoNotExistOrAreMisnamedAreConfigErrors() throws {
        let folder = try folderWithSubscriber()
        defer { folder.remove() }
        let typo = try GazetteBinary.run(["preview", "--templates", "typo"], in: folder.url)
        #expect(typo.status == 78)
        #expect(typo.stderr.contains("templates folder") && typo.stderr.contains("typo"), "\(typo.stderr)")
        let doctor = try GazetteBinary.run(["doctor", "--templates", "typo"], in: folder.url)
        #expect(doctor.status == 4)
        #expect(doctor.stdout.contains("FAIL  templates"), "\(doctor.stdout)")

        let mine = folder.url.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try Data("{{%CONTENT_TYPE: TEXT}}\nhi\n".utf8).write(to: mine.appendingPathComponent("digest.text.mustache"))
        let misnamed = try GazetteBinary.run(["preview", "--templates", "mine"], in: folder.url)
        #expect(misnamed.status == 78)
        #expect(misnamed.stderr.contains("digest.text.mustache is not one Gazette uses"), "\(misnamed.stderr)")
    }

    /// README's table, each code provoked once (75 also by `GazetteBinaryTests/aSecondRun…`).
    @Test func everyDocumentedExitCodeHappens() throws {
        let site = try LoopbackHTTPServer(serving: RepoPaths.sampleSite)
        let folder = try folderWithSubscriber(sources: [("news", site.url("feed.xml"))])
        defer { folder.remove() }
        try Data("<html>no feed</html>".utf8).write(to: folder.url.appendingPathComponent("page.html"))
        try Data("email\nok@sample.test\nnot-an-address\n".utf8).write(to: folder.url.appendingPathComponent("some-bad.csv"))
        try Data("email\nnot-an-address\n".utf8).write(to: folder.url.appendingPathComponent("bad.csv"))
        let cases: [(Int32, [String])] = [
            (0, ["subscribers", "list"]),
            (1, ["parse-feed", "page.html"]),
            (3, ["subscribers", "import", "some-bad.csv"]),
            (4, ["doctor", "--templates", "typo"]),
            (5, ["subscribers", "add", "dana@sample.test"]),
            (5, ["init"]),
            (5, ["sources", "add", site.url("feed.xml"), "--name", "again"]),
            (64, ["subscribers", "remove", "dana@sample.test"]),
            (65, ["subscribers", "add", "not-an-address"]),
            (65, ["subscribers", "import", "bad.csv", "--strict"]),
            (66, ["parse-feed", "missing.xml"]),
            (66, ["extract", "missing.html"]),
            (66, ["subscribers", "import", "missing.csv"]),
            (67, ["subscribers", "list", "--list", "nosuch"]),
            (67, ["subscribers", "export", "--list", "nosuch"]),
            (67, ["subscribers", "show", "nobody@sample.test"]),
            (78, ["subscribers", "list", "--config", "missing.toml"]),
        ]
        for (code, arguments) in cases {
            let result = try GazetteBinary.run(arguments, in: folder.url)
            #expect(result.status == code, "\(arguments): \(result.stderr)")
            if code != 0 && code != 3 && code != 4 { #expect(oneLine(result), "\(arguments): \(result.stderr)") }
            if code == 67 { #expect(result.stdout.isEmpty, "\(arguments) printed \(result.stdout)") }
        }
        // 75: another process holds the run lock.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [folder.path("gazette.sqlite.lock"), "-c", "echo held; sleep 30"]
        let output = Pipe()
        holder.standardOutput = output
        try holder.run()
        defer { holder.terminate() }
        _ = output.fileHandleForReading.availableData  // "held": the lock is taken
        let locked = try GazetteBinary.run(["fetch"], in: folder.url)
        #expect(locked.status == 75, "\(locked.stderr)")
    }

    // MARK: - Helpers

    private func statMode(_ path: String) -> Int? {
        guard let number = try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber else {
            return nil
        }
        return number.intValue & 0o777
    }

    private func chmodAll(_ mode: String, _ path: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/chmod")
        process.arguments = ["-R", mode, path]
        try? process.run()
        process.waitUntilExit()
    }

    private func runAsNobody(_ arguments: [String], in folder: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", GazetteBinary.url.path] + arguments
        process.currentDirectoryURL = folder
        process.environment = ["PATH": "/usr/bin:/bin", "GAZETTE_TOKEN_KEY": "a key for the test only"]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stdout, stderr)
    }
}
