import Foundation
import Mailing

extension GazetteConfig.Delivery {
    /// The live transport this delivery setting names.
    public func makeTransport() -> any MailTransport {
        switch self {
        case .outbox(let folder): MaildirTransport(directory: URL(fileURLWithPath: folder, isDirectory: true))
        case .smtp(let settings): CurlSMTPTransport(settings: settings)
        case .sendmail(let path): SendmailTransport(path: path)
        }
    }
}
