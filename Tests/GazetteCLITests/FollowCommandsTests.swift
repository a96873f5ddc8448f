import Foundation
import GazetteTestSupport
import Testing

/// `subscribers follow|unfollow` say what they changed, and refuse what would change nothing
/// or name nothing Gazette has seen, with the likeliest meaning.
@Suite struct FollowCommandsTests {
    @Test func followAndUnfollowSayWhatChangedAndRefuseNoOps() throws {
        let folder = try TemporaryDirectory("gazette-follow")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url)
        #expect(try GazetteBinary.run(["fetch"], in: folder.url).status == 0)
        // '#' written in --tags is how people write a tag, not part of its name.
        let added = try GazetteBinary.run(["subscribers", "add", "dana@sample.test", "--tags", "#Turkey"], in: folder.url)
        #expect(added.status == 0, "\(added.stderr)")
        let shown = try GazetteBinary.run(["subscribers", "show", "dana@sample.test"], in: folder.url)
        #expect(shown.stdout.contains("#Turkey") && !shown.stdout.contains("##Turkey"), "\(shown.stdout)")

        // Unfollowing "Turkey" (a section) when the subscriber follows the tag: say so, change nothing.
        let wrong = try GazetteBinary.run(["subscribers", "unfollow", "dana@sample.test", "Turkey"], in: folder.url)
        #expect(wrong.status == 65)
        #expect(wrong.stderr.contains("does not follow Turkey; they follow the tag #Turkey"), "\(wrong.stderr)")
        let unfollowed = try GazetteBinary.run(["subscribers", "unfollow", "dana@sample.test", "#Turkey"], in: folder.url)
        #expect(unfollowed.status == 0, "\(unfollowed.stderr)")
        #expect(unfollowed.stdout.contains("no longer follows #Turkey in daily"))
        let again = try GazetteBinary.run(["subscribers", "unfollow", "dana@sample.test", "#Turkey"], in: folder.url)
        #expect(again.status == 65)
        #expect(again.stderr.contains("(they follow the whole list)"))

        // A tag no article carries: the closest one is offered, and --anyway follows it.
        let typo = try GazetteBinary.run(["subscribers", "follow", "dana@sample.test", "#Turky"], in: folder.url)
        #expect(typo.status == 65)
        #expect(typo.stderr.contains("did you mean #Turkey?"), "\(typo.stderr)")
        let forced = try GazetteBinary.run(["subscribers", "follow", "dana@sample.test", "#Turky", "--anyway"], in: folder.url)
        #expect(forced.status == 0)
        #expect(forced.stdout.contains("now follows #Turky in daily"))
        let followed = try GazetteBinary.run(["subscribers", "follow", "dana@sample.test", "#Turkey"], in: folder.url)
        #expect(followed.stdout.contains("now follows #Turkey in daily"), "\(followed.stdout) \(followed.stderr)")
        let twice = try GazetteBinary.run(["subscribers", "follow", "dana@sample.test", "#Turkey"], in: folder.url)
        #expect(twice.status == 0)
        #expect(twice.stdout.contains("already follows #Turkey; nothing changed"))
    }
}

/// `gazette preview` in a pipe: the header names the reader as the mail does, and no
/// invisible bidi isolates (U+2068/U+2069) end up in a file or another program's input.
@Suite struct PreviewHeaderTests {
    @Test func thePreviewHeaderNamesTheReaderAndAPipeGetsNoBidiMarks() throws {
        let folder = try TemporaryDirectory("gazette-preview-header")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url)
        #expect(try GazetteBinary.run(["subscribers", "add", "dana@sample.test", "--name", "Dana Reader"], in: folder.url).status == 0)
        #expect(try GazetteBinary.run(["fetch"], in: folder.url).status == 0)
        let preview = try GazetteBinary.run(["preview", "--subscriber", "dana@sample.test", "--no-pager"], in: folder.url)
        #expect(preview.status == 0, "\(preview.stderr)")
        #expect(preview.stdout.contains("To:      Dana Reader <dana@sample.test>"), "\(preview.stdout.prefix(400))")
        #expect(preview.stdout.contains("הכנסת"), "the sample site's Hebrew tags are in the digest")
        #expect(!preview.stdout.unicodeScalars.contains { $0.value == 0x2068 || $0.value == 0x2069 })
    }
}

/// `preview --explain` names the follow that brought each article in.
@Suite struct ExplainNamesTheFollowTests {
    @Test func anIncludedArticleSaysWhichFollowBroughtItIn() throws {
        let folder = try TemporaryDirectory("gazette-explain-follow")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url)
        #expect(try GazetteBinary.run(["subscribers", "add", "omer@sample.test", "--tags", "Turkey"], in: folder.url).status == 0)
        #expect(try GazetteBinary.run(["subscribers", "add", "all@sample.test"], in: folder.url).status == 0)
        #expect(try GazetteBinary.run(["fetch"], in: folder.url).status == 0)
        let omer = try GazetteBinary.run(["preview", "--subscriber", "omer@sample.test", "--explain"], in: folder.url)
        #expect(omer.status == 0, "\(omer.stderr)")
        #expect(omer.stdout.contains(", because the reader follows #Turkey"), "\(omer.stdout.prefix(600))")
        let all = try GazetteBinary.run(["preview", "--subscriber", "all@sample.test", "--explain"], in: folder.url)
        #expect(all.stdout.contains(", because the reader follows the whole list"))
    }
}

/// `gazette help` lists the commands by what an editor is doing, not alphabetically.
@Suite struct HelpGroupsTests {
    @Test func helpGroupsTheCommandsByTask() throws {
        let folder = try TemporaryDirectory("gazette-help")
        defer { folder.remove() }
        let help = try GazetteBinary.run(["help"], in: folder.url)
        #expect(help.status == 0)
        let headings = help.stdout.split(separator: "\n").filter { $0.hasSuffix("SUBCOMMANDS:") }.map(String.init)
        #expect(headings == [
            "THE DAILY JOB SUBCOMMANDS:", "READERS SUBCOMMANDS:", "SOURCES SUBCOMMANDS:", "SETTING UP AND LOOKING AFTER SUBCOMMANDS:",
            "WHAT GAZETTE READS (DIAGNOSTICS) SUBCOMMANDS:",
        ], "\(help.stdout)")
    }
}

/// `gazette run` on a config with nothing to fetch is a config error (78), not a quiet exit 0.
@Suite struct NothingToRunTests {
    @Test func aConfigWithoutSourcesIsAConfigErrorForRun() throws {
        let folder = try TemporaryDirectory("gazette-nothing-to-run")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url, sources: [])
        let run = try GazetteBinary.run(["run"], in: folder.url)
        #expect(run.status == 78)
        #expect(run.stderr.contains("has no [[sources]], so a run has nothing to fetch"), "\(run.stderr)")
        #expect(try GazetteBinary.run(["send"], in: folder.url).status == 0, "send needs no sources")
    }
}
