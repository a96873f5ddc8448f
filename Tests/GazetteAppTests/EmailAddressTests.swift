import GazetteModel
import Testing

@Suite struct EmailAddressTests {
    @Test(arguments: ["dana@sample.test", "dana+news@sample.test", "o'brien@mail.sample.co.il", "a.b-c_d@xn--4dbrk0ce.test", "נועה@דוגמה.ישראל"])
    func acceptsWhatMailSystemsDeliver(_ address: String) {
        // The last one is refused: non-ASCII local parts need SMTPUTF8, which Gazette does not send.
        let result = EmailAddress.validate(address)
        if address.hasPrefix("נועה") {
            guard case .failure(.badLocalPart) = result else { Issue.record("expected a refusal"); return }
        } else {
            #expect(result == .success(address))
        }
    }

    @Test(arguments: ["", "plain", "@sample.test", "dana@", "dana@localhost", "dana..x@sample.test", ".dana@sample.test",
        "\"dana x\"@sample.test", "dana x@sample.test", "dana@sample..test", "dana@-sample.test", "dana@10.0.0.1",
        "dana@sample.test\r\nBcc: x@y.test"])
    func refusesWhatCannotBeDelivered(_ address: String) {
        guard case .failure(let problem) = EmailAddress.validate(address) else {
            Issue.record("\(address) should be refused")
            return
        }
        #expect(!problem.description.isEmpty)
    }
}

@Suite struct InternationalAddressTests {
    @Test func internationalDomainsBecomeIDNA() {
        #expect(EmailAddress.validate("dana@bücher.de") == .success("dana@xn--bcher-kva.de"))
        #expect(EmailAddress.validate("dana+news@דוגמה.ישראל") == .success("dana+news@xn--6dbbec0c.xn--4dbrk0ce"))
        #expect(EmailAddress.validate("Dana@BÜCHER.de") == .success("Dana@xn--bcher-kva.de"))
        guard case .failure(.badDomain) = EmailAddress.validate("dana@bü cher.de") else { Issue.record("a space is refused"); return }
    }

    @Test func quotedLocalPartsAreRefusedWithTheReason() {
        #expect(EmailAddress.validate("\"dana\"@sample.test") == .failure(.badLocalPart("\"dana\"@sample.test", reason: "is quoted, which Gazette does not accept")))
    }
}
