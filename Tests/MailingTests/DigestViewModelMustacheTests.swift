import Foundation
import GazetteModel
@testable import Mailing
import Mustache
import Testing

/// Templates read the view model through `MustacheParent` (no reflection). Every stored
/// property, at every level, must answer by its own name, or a template would see nothing.
@Suite struct DigestViewModelMustacheTests {
    @Test func everyFieldAnswersByItsName() throws {
        let model = DigestViewModel(
            digest: GoldenDigestTests.digest(), date: GoldenDigestTests.now, timeZone: GoldenDigestTests.zone,
            links: GoldenDigestTests.links)
        var checked = 0
        func check(_ value: Any, path: String) {
            if let array = value as? [Any] {
                for (index, element) in array.enumerated() { check(element, path: "\(path)[\(index)]") }
                return
            }
            guard String(reflecting: type(of: value)).contains("DigestViewModel") else { return }
            let mirror = Mirror(reflecting: value)
            guard let parent = value as? any MustacheParent else {
                Issue.record("\(path): \(type(of: value)) is not a MustacheParent")
                return
            }
            for child in mirror.children {
                guard let label = child.label else { continue }
                let isNil = Mirror(reflecting: child.value).displayStyle == .optional && Mirror(reflecting: child.value).children.isEmpty
                #expect((parent.child(named: label) == nil) == isNil, "\(path).\(label)")
                checked += 1
                check(child.value, path: "\(path).\(label)")
            }
        }
        check(model, path: "model")
        #expect(checked > 60)
    }

    @Test func bodyEncodingSkipsNormalizingOnlyWhatIsAlreadyNFC() {
        #expect(BodyEncoding.isSurelyNFC("Plain ASCII, Latin-1 café and Hebrew שלום – “quoted” …"))
        #expect(!BodyEncoding.isSurelyNFC("cafe\u{301}"))  // a combining accent: normalized
        #expect(!BodyEncoding.isSurelyNFC("\u{FB2A}"))  // a Hebrew presentation form: NFC decomposes it
        #expect(BodyEncoding.encode("cafe\u{301}").body == BodyEncoding.encode("caf\u{E9}").body)
    }
}
