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
