import Foundation
import Hummingbird
import Logging

/// One log line per request: method, path, status and time taken. The query is left out,
/// because it carries readers' tokens, which are as good as a password to their settings.
struct AccessLog<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        let start = ContinuousClock.now
        let status: Int
        do {
            let response = try await next(request, context)
            status = response.status.code
            log(request, status: status, since: start)
            return response
        } catch let error as any HTTPResponseError {
            log(request, status: error.status.code, since: start)
            throw error
        } catch {
            log(request, status: 500, since: start)
            throw error
        }
    }

    private func log(_ request: Request, status: Int, since start: ContinuousClock.Instant) {
        let milliseconds = Int(((ContinuousClock.now - start) / .milliseconds(1)).rounded())
        logger.info(
            "\(request.method.rawValue) \(request.uri.path) \(status) \(milliseconds)ms",
            metadata: [
                "method": .string(request.method.rawValue), "path": .string(request.uri.path),
                "status": .stringConvertible(status),
                "ms": .stringConvertible(milliseconds),
            ])
    }
}
