import GazetteApp
import Testing

@Suite struct FileModeTests {
    @Test func whoBesidesTheOwnerMayRead() {
        #expect(FileMode(0o600).readableBeyondOwner == nil)
        #expect(FileMode(0o700).readableBeyondOwner == nil)
        #expect(FileMode(0o640).readableBeyondOwner == "group")
        #expect(FileMode(0o604).readableBeyondOwner == "others")
        #expect(FileMode(0o100644).readableBeyondOwner == "group and others")  // a regular file's full st_mode
        #expect(FileMode(0o644).octal == "0644")
        #expect(FileMode(0o600).exposure(of: "k", holding: "signs links") == nil)
        #expect(FileMode(0o640).exposure(of: "k", holding: "signs links") == "k is readable by group (mode 0640) and signs links: chmod 600 k")
    }
}
