import Foundation
import Mailing

/// The send case: `count` copies of a real digest message (the render case's first
/// subscriber's), each to its own recipient, over one SMTP connection through the transport
/// `gazette send` uses. Messages are rendered before the clock starts: this is the wire.
struct SendBenchmark {
    let url: String
    let count: Int
    let message: Data

    struct Result {
        var seconds: Double
        var failures: Int
    }

    func run() async -> Result {
        let transport = CurlSMTPTransport(settings: SMTPSettings(url: url, starttls: .off, connections: 1))
        let clock = ContinuousClock()
        var failures = 0
        let start = clock.now
        for index in 0..<count {
            let outgoing = OutgoingMessage(
                envelopeFrom: "digest@bench.test", recipient: "reader\(index)@subscribers.bench.test",
                messageID: "bench.\(index)@bench.test", data: message)
            do {
                try await transport.deliver(outgoing)
            } catch {
                failures += 1
                if failures == 1 { FileHandle.standardError.write(Data("send: \(error)\n".utf8)) }
            }
        }
        return Result(seconds: (clock.now - start).seconds, failures: failures)
    }
}
