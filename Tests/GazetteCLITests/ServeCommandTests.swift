import Dispatch
import Foundation
import GazetteApp
import GazetteTestSupport
import Synchronization
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `gazette serve` as systemd runs it: the built binary on loopback, with `gazette run`
/// writing the same database at the same time, `doctor` finding it, and SIGTERM stopping it.
@Suite struct ServeCommandTests {
    /// The binary in the background, its stderr (the access log) in a file.
    private func startServe(in folder: TemporaryDirectory) throws -> (Process, URL) {
        let log = folder.url.appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = GazetteBinary.url
        process.arguments = ["serve", "--listen", "127.0.0.1:0"]
        process.currentDirectoryURL = folder.url
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        return (process, log)
    }

    /// The port the server says it listens on, once it has said so (up to 60 s of polling).
    private func port(from log: URL, _ process: Process) throws -> Int {
        for _ in 0..<600 where process.isRunning {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let match = text.firstMatch(of: /listening on 127\.0\.0\.1:([0-9]+)/), let port = Int(match.1) { return port }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw TestServerError("gazette serve did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    private func status(_ url: String, method: String = "GET", body: String? = nil) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession(configuration: .ephemeral).data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test func serveAnswersWhileARunWritesThenStopsCleanlyOnSIGTERM() async throws {
        let folder = try TemporaryDirectory("gazette-serve")
        defer { folder.remove() }
        let web = ["[web]", "base_url = \"http://127.0.0.1\""]
        try TestConfig.write(in: folder.url, top: ["database = \"gazette.sqlite\""] + web)
        #expect(try GazetteBinary.run(["subscribers", "add", "reader@sample.test"], in: folder.url).status == 0)
        let (serve, log) = try startServe(in: folder)
        defer { if serve.isRunning { serve.terminate() } }
        let port = try port(from: log, serve)
        let base = "http://127.0.0.1:\(port)"

        // `gazette run` fetches, builds and sends in another process while the server answers.
        let finished = Finished()
        let run = Task.detached {
            defer { finished.flag.withLock { $0 = true } }
            return try GazetteBinary.run(["run", "--force"], in: folder.url)
        }
        var answered = 0
        repeat {
            #expect(try await status(base + "/healthz").0 == 200)
            #expect(try await status(base + "/archive/daily/").0 == 200)
            answered += 1
        } while answered < 2000 && !finished.flag.withLock({ $0 })
        let result = try await run.value
        #expect(result.status == 0, "\(result.stderr)")
        #expect(answered > 0)
        let (archiveStatus, archive) = try await status(base + "/archive/daily/")
        #expect(archiveStatus == 200)
        #expect(archive.contains("/archive/daily/"))
        #expect(archive.contains("<li><a href="), "the run's edition is in the archive")

        // The reader's one-click unsubscribe reaches the database the run wrote.
        let key = try SigningKey.load(environment: [:], file: folder.path("gazette.key"))
        let token = SubscriptionToken(subscriberID: 1, listName: "daily").signed(with: key)
        #expect(
            try await status(base + "/unsubscribe?token=\(token)", method: "POST", body: "List-Unsubscribe=One-Click").0 == 200)
        let shown = try GazetteBinary.run(["subscribers", "show", "reader@sample.test"], in: folder.url)
        #expect(shown.stdout.contains("unsubscribed"), "\(shown.stdout)")

        // doctor finds the server where the config says it listens.
        try TestConfig.write(in: folder.url, top: ["database = \"gazette.sqlite\""] + web + ["listen = \"127.0.0.1:\(port)\""])
        let doctor = try GazetteBinary.run(["doctor"], in: folder.url)
        #expect(doctor.stdout.contains("`gazette serve` answers on 127.0.0.1:\(port)"), "\(doctor.stdout)")

        serve.terminate()  // SIGTERM, as systemd stops it
        serve.waitUntilExit()
        #expect(serve.terminationReason == .exit)
        #expect(serve.terminationStatus == 0)
        let accessLog = try String(contentsOf: log, encoding: .utf8)
        #expect(accessLog.contains("GET /healthz 200"))
        #expect(accessLog.contains("POST /unsubscribe 200"))
        #expect(!accessLog.contains(token), "tokens stay out of the log")
    }

    /// Set when the concurrent run has ended.
    final class Finished: Sendable {
        let flag = Mutex(false)
    }

    @Test func doctorWarnsWhenNothingServesTheConfiguredAddress() throws {
        let folder = try TemporaryDirectory("gazette-serve-doctor")
        defer { folder.remove() }
        // Port 9 (discard) on loopback: nothing of ours listens there.
        try TestConfig.write(
            in: folder.url,
            top: [
                "database = \"gazette.sqlite\"", "[web]", "base_url = \"https://news.example.org/letters\"",
                "listen = \"127.0.0.1:9\"",
            ])
        let doctor = try GazetteBinary.run(["doctor"], in: folder.url)
        #expect(doctor.stdout.contains("readers' links start at https://news.example.org/letters"), "\(doctor.stdout)")
        #expect(doctor.stdout.contains("nothing answers on 127.0.0.1:9"), "\(doctor.stdout)")
    }
}
