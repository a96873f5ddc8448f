import CCurl
import Foundation
import GazetteModel

/// `HTTPClient` over libcurl's easy interface.
///
/// Each request gets its own easy handle on a Dispatch worker thread, so a blocking transfer
/// never occupies the Swift concurrency pool. Only http and https are allowed, for the first
/// request and for every redirect.
public struct CurlHTTPClient: HTTPClient {
    /// Sent on every request, so site operators can tell who is fetching.
    public let userAgent: String

    public init(userAgent: String = "Gazette/\(GazetteVersion.current) (newsletter digest generator; libcurl)") {
        self.userAgent = userAgent
        CurlGlobal.initialize()
    }

    public func get(_ request: HTTPRequest) async throws -> HTTPResponse {
        let userAgent = self.userAgent
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try Self.perform(request, userAgent: userAgent) })
            }
        }
    }

    private static func perform(_ request: HTTPRequest, userAgent: String) throws(FetchError) -> HTTPResponse {
        guard let handle = curl_easy_init() else { throw .transport(url: request.url, reason: "libcurl could not start") }
        defer { curl_easy_cleanup(handle) }
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
                gz_curl_setopt_string(handle, CURLOPT_URL, request.url)
                gz_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
                gz_curl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
                gz_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1)
                gz_curl_setopt_long(handle, CURLOPT_MAXREDIRS, request.maxRedirects)
                gz_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
                gz_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")  // every encoding libcurl decodes
                gz_curl_setopt_string(handle, CURLOPT_USERAGENT, userAgent)
                gz_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(request.timeout.milliseconds))
                gz_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout.milliseconds))
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
        if code == CURLE_OPERATION_TIMEDOUT { throw .timedOut(url: request.url, after: request.timeout) }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw .transport(url: request.url, reason: reason)
        }
        var status = 0
        gz_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var effective: UnsafeMutablePointer<CChar>?
        gz_curl_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &effective)
        return HTTPResponse(
            status: status,
            headers: sink.headers,
            body: sink.body,
            finalURL: effective.map { String(cString: $0) } ?? request.url
        )
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

