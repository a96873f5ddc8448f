import FeedFetching
import Foundation

extension Doctor {
    /// `[web]`: the base URL readers' links use (https unless on this machine, checked when
    /// the config loads) and whether `gazette serve` answers on its listen address.
    func web(_ config: GazetteConfig) async -> [DoctorCheck] {
        guard let web = config.web else { return [] }
        var checks = [
            DoctorCheck(
                .ok, "web",
                "readers' links start at \(web.baseURL)"
                    + (web.isLoopback ? " (this machine only: fine for a test, not for readers)" : ""))
        ]
        guard case let (host, port)? = WebSettings.parseListen(web.listen) else { return checks }
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let request = HTTPRequest(
            url: "http://\(address)/healthz", timeout: .seconds(5), connectTimeout: .seconds(2), maxRedirects: 0)
        do {
            let response = try await http.get(request)
            if response.status == 200 {
                checks.append(DoctorCheck(.ok, "serve", "`gazette serve` answers on \(address)"))
            } else {
                checks.append(
                    DoctorCheck(
                        .warn, "serve", "\(address)/healthz answered \(response.status): is something else listening there?"))
            }
        } catch {
            checks.append(
                DoctorCheck(
                    .warn, "serve",
                    "nothing answers on \(address) (\(error)); start `gazette serve` (docs/cron.md has a systemd unit), or unsubscribe links will fail"
                ))
        }
        return checks
    }
}
