import Foundation
import Mailing

extension Doctor {
    /// The transport a run would use, tried without sending anything: an SMTP session up to
    /// AUTH, the outbox written to, or the sendmail binary found.
    func delivery(_ config: GazetteConfig) async -> [DoctorCheck] {
        switch config.delivery {
        case .outbox(let folder):
            do {
                try MaildirTransport(directory: URL(fileURLWithPath: folder, isDirectory: true)).checkWritable()
                let exists = FileManager.default.fileExists(atPath: folder)
                return [DoctorCheck(.ok, "outbox", "\(folder) " + (exists ? "is writable" : "can be created on the first send"))]
            } catch {
                return [DoctorCheck(.fail, "outbox", error.description + "; fix the folder's owner or set [delivery] outbox")]
            }
        case .sendmail(let path):
            guard FileManager.default.fileExists(atPath: path) else {
                return [DoctorCheck(.fail, "sendmail", "\(path) does not exist; install an MTA or set [delivery] smtp instead")]
            }
            guard FileManager.default.isExecutableFile(atPath: path) else {
                return [DoctorCheck(.fail, "sendmail", "\(path) is not executable by this user; fix its mode or set [delivery] sendmail")]
            }
            return [DoctorCheck(.ok, "sendmail", "\(path) is executable")]
        case .smtp(let settings):
            return await smtp(settings, passwordFile: config.passwordFile)
        }
    }

    private func smtp(_ settings: SMTPSettings, passwordFile: String?) async -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        if settings.username != nil {
            // The config's password_file wins over the environment (see ConfigValidator).
            let origin = passwordFile ?? ConfigValidator.passwordVariable
            checks.append(DoctorCheck(.ok, "smtp password", "set (from \(origin))"))
        }
        let server = settings.displayURL
        let session: SMTPSessionCheck
        do {
            session = try await CurlSMTPTransport(settings: settings).checkSession()
        } catch {
            checks.append(DoctorCheck(.fail, "smtp", error.description))
            return checks
        }
        let steps = session.commands.filter { $0 != "QUIT" }.joined(separator: ", ")
        checks.append(DoctorCheck(.ok, "smtp", "\(server): \(steps) accepted; no message sent"))
        if settings.username != nil, !session.authenticated {
            checks.append(DoctorCheck(
                .warn, "smtp", "\(server) offered no AUTH, so the login was never tried; check the server's port, or drop [delivery] username"))
        }
        if settings.starttls == .opportunistic, !session.encrypted {
            checks.append(DoctorCheck(
                .warn, "smtp", "\(server) offered no STARTTLS: digests go out in plain text; set starttls = \"required\" once it does"))
        }
        return checks
    }
}
