import CCurl
import Foundation
import GazetteModel

/// `HTTPClient` over libcurl's easy interface.
///
/// Each request gets its own easy handle on a thread of its own, so a blocking transfer
/// never occupies the Swift concurrency pool or a Dispatch worker. Only http and https are allowed, for the first
/// request and for every redirect; the handle is reused across a redirect chain, so a
/// redirect to the same host reuses the connection.
public struct CurlHTTPClient: HTTPClient {
    /// Sent on every request, so site operators can tell who is fetching.
    public let userAgent: String
    /// Per-host limits shared by every request this client makes; nil for none.
    public let gate: HostGate?

    public init(
        userAgent: String = "Gazette/\(GazetteVersion.current) (newsletter digest generator; libcurl)", gate: HostGate? = nil
    ) {
        self.userAgent = userAgent
        self.gate = gate
        CurlGlobal.initialize()
    }

    /// A client that keeps to `settings`' per-host limits.
    public init(settings: FetchSettings) {
        self.init(gate: HostGate(perHost: settings.perHost, gap: settings.hostGap))
    }

    public func get(_ request: HTTPRequest) async throws -> HTTPResponse {
        let userAgent = self.userAgent
        let gate = self.gate
        let host = URL(string: request.url)?.host?.lowercased() ?? ""
        return try await withCheckedThrowingContinuation { continuation in
            // A thread of its own, not a Dispatch worker: libdispatch on Linux cannot tell that a
            // worker is blocked in a transfer, so a few slow servers would hold up every other
            // fetch queued behind them. A feed fetch is long enough that a thread costs nothing.
            let thread = Thread {
                continuation.resume(with: Result {
                    guard let gate else { return try Self.perform(request, userAgent: userAgent) }
                    return try gate.withSlot(host: host) { try Self.perform(request, userAgent: userAgent) }
                })
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private static func perform(_ request: HTTPRequest, userAgent: String) throws(FetchError) -> HTTPResponse {
        guard let handle = curl_easy_init() else { throw .transport(url: request.url, reason: "libcurl could not start") }
        defer { curl_easy_cleanup(handle) }
        let deadline = ContinuousClock.now + request.timeout
        var url = request.url
        var visited: Set<String> = [url]
        var redirects: [HTTPRedirect] = []
        // Redirects are followed here, not by libcurl, so that each hop's scheme is checked,
        // a loop is named as one, and a permanent move is known (301/308 all the way).
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw .timedOut(url: request.url, after: request.timeout) }
            let hop = try transfer(handle, url: url, request: request, timeout: remaining, userAgent: userAgent)
            guard (300..<400).contains(hop.status), hop.status != 304, let target = hop.redirectURL else {
                return HTTPResponse(status: hop.status, headers: hop.headers, body: hop.body, finalURL: url, redirects: redirects)
            }
            let scheme = target.prefix { $0 != ":" }.lowercased()
            guard scheme == "http" || scheme == "https" else { throw .redirectRefused(url: request.url, target: target) }
            guard visited.insert(target).inserted else { throw .redirectLoop(url: request.url, repeated: target) }
            guard redirects.count < request.maxRedirects else { throw .tooManyRedirects(url: request.url, limit: request.maxRedirects) }
            redirects.append(HTTPRedirect(status: hop.status, from: url, to: target))
            url = target
        }
    }

    /// What one request (one hop of a redirect chain) returned.
    private struct Hop {
        var status: Int
        var headers: [String: String]
        var body: Data
        var redirectURL: String?
    }

    private static func transfer(
        _ handle: UnsafeMutableRawPointer, url: String, request: HTTPRequest, timeout: Duration, userAgent: String
    ) throws(FetchError) -> Hop {
        curl_easy_reset(handle)
        let sink = TransferSink(limit: request.maxBodyBytes)
        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
        var headerList: UnsafeMutablePointer<curl_slist>?
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) {
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        defer { curl_slist_free_all(headerList) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        let code: CURLcode = withExtendedLifetime(sink) {
            errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
                gz_curl_setopt_string(handle, CURLOPT_URL, url)
                gz_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
                gz_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
                gz_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
                gz_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")  // every encoding libcurl decodes
                gz_curl_setopt_string(handle, CURLOPT_USERAGENT, userAgent)
                gz_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, max(1, Int(timeout.milliseconds)))
                gz_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout.milliseconds))
                // Less than one byte a second for `stallTimeout`: the server has stalled.
                gz_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
                gz_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, max(1, Int(request.stallTimeout.components.seconds)))
                gz_curl_setopt_offset(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.maxBodyBytes))
                gz_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
                gz_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorPointer.baseAddress)
                gz_curl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
                    guard let data, let context else { return 0 }
                    let sink = Unmanaged<TransferSink>.fromOpaque(context).takeUnretainedValue()
                    return sink.appendBody(UnsafeRawBufferPointer(start: data, count: size * count)) ? size * count : 0
                }
                gz_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, sinkPointer)
                gz_curl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
                    guard let data, let context else { return 0 }
                    let sink = Unmanaged<TransferSink>.fromOpaque(context).takeUnretainedValue()
                    sink.appendHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
                    return size * count
                }
                gz_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, sinkPointer)
                return curl_easy_perform(handle)
            }
        }

        if sink.exceededLimit || code == CURLE_FILESIZE_EXCEEDED {
            throw .tooLarge(url: request.url, limit: request.maxBodyBytes)
        }
        let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if code == CURLE_OPERATION_TIMEDOUT {
            if detail.contains("too slow") { throw .stalled(url: request.url, after: request.stallTimeout) }
            throw .timedOut(url: request.url, after: request.timeout)
        }
        guard code == CURLE_OK else {
            throw .transport(url: request.url, reason: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
        }
        var status = 0
        gz_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var redirect: UnsafeMutablePointer<CChar>?
        gz_curl_getinfo_string(handle, CURLINFO_REDIRECT_URL, &redirect)
        return Hop(status: status, headers: sink.headers, body: sink.body, redirectURL: redirect.map { String(cString: $0) })
    }
}

/// Collects one transfer's body and headers; only touched by the thread running the transfer.
private final class TransferSink {
    let limit: Int
    var body = Data()
    var headers: [String: String] = [:]
    var exceededLimit = false

    init(limit: Int) { self.limit = limit }

    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= limit else {
            exceededLimit = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    func appendHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            headers = [:]  // a new response after a redirect: forget the previous one's headers
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
}

/// libcurl's process-wide set-up, done once before the first handle.
enum CurlGlobal {
    private static let once: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()
    static func initialize() { _ = once }
}

