@testable import GazetteCLI
import Testing

/// `gazette --config x.toml run` as git and docker users type it.
@Suite struct GlobalOptionsHoistingTests {
    @Test func optionsBeforeTheSubcommandMoveAfterIt() {
        #expect(GlobalOptions.hoisted(["--config", "x.toml", "run"]) == ["run", "--config", "x.toml"])
        #expect(GlobalOptions.hoisted(["--config=x.toml", "-v", "subscribers", "add", "a@b.test"])
            == ["subscribers", "add", "a@b.test", "--config=x.toml", "-v"])
        #expect(GlobalOptions.hoisted(["--database", "d.sqlite", "preview", "--", "--odd"]) == ["preview", "--database", "d.sqlite", "--", "--odd"])
    }

    @Test func everythingElseIsLeftAsTyped() {
        #expect(GlobalOptions.hoisted(["run", "--config", "x.toml"]) == ["run", "--config", "x.toml"])
        #expect(GlobalOptions.hoisted(["--config", "x.toml"]) == ["--config", "x.toml"], "no subcommand: the parser says what is wrong")
        #expect(GlobalOptions.hoisted(["--list", "daily", "run"]) == ["--list", "daily", "run"], "not a global option")
        #expect(GlobalOptions.hoisted(["--config"]) == ["--config"])
    }
}
