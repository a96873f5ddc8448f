import CCurl
import Dispatch
import Foundation
import GazetteModel

/// Sends messages over SMTP with libcurl, one message per transaction, over up to
/// `settings.connections` sessions, each a libcurl handle that keeps its connection open
/// between messages and reopens it if the server drops it.
///
/// Each session runs its transfers on its own serial queue, which owns its curl handle; a
/// caller's message goes to the least busy session, so up to `connections` callers send at
/// once and each connection sees one message at a time.
public final class CurlSMTPTransport: MailTransport, @unchecked Sendable {
    public let settings: SMTPSettings
    private let sessions: [Session]
    private let lock = NSLock()
    // Guarded by `lock`: messages queued or under way on each session, and when the last
    // message was allowed to start (`max_per_second` paces all sessions together).
    private var load: [Int]
    private var lastStart: ContinuousClock.Instant?

    /// One SMTP connection: a curl handle touched only on `queue`.
    private final class Session: @unchecked Sendable {
        let queue: DispatchQueue
        var handle: UnsafeMutableRawPointer?

        init(number: Int) { queue = DispatchQueue(label: "gazette.smtp.\(number)") }
        deinit { if let handle { curl_easy_cleanup(handle) } }
    }

    public init(settings: SMTPSettings) {
        self.settings = settings
        let count = max(1, settings.connections)
        sessions = (0..<count).map(Session.init(number:))
        load = Array(repeating: 0, count: count)
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }

    public var connections: Int { sessions.count }

    public func deliver(_ message: OutgoingMessage) async throws {
        try await enqueue(message, handingOver: nil)
    }

    /// Calls `handingOver` from libcurl's read callback, before it hands libcurl the last
    /// bytes of the message: libcurl sends the end-of-data `.` only after those, so until
    /// the hook returns, a process that dies leaves the server a transaction it discards.
    public func deliver(_ message: OutgoingMessage, handingOver: @escaping @Sendable () throws -> Void) async throws {
        try await enqueue(message, handingOver: handingOver)
    }

    private func enqueue(_ message: OutgoingMessage, handingOver: (@Sendable () throws -> Void)?) async throws {
        let index = lock.withLock {
            let index = load.indices.min { load[$0] < load[$1] } ?? 0
            load[index] += 1
            return index
        }
        let session = sessions[index]
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            session.queue.async {
                let result = Result { try self.send(message, on: session, handingOver: handingOver) }
                self.lock.withLock { self.load[index] -= 1 }
                continuation.resume(with: result)
            }
        }
    }

    /// Sends one message; runs on the session's queue.
    private func send(
        _ message: OutgoingMessage, on session: Session, handingOver: (@Sendable () throws -> Void)?
    ) throws(MailTransportError) {
        throttle()
        if session.handle == nil { session.handle = curl_easy_init() }
        guard let handle = session.handle else {
            throw .connection(server: settings.displayURL, reason: "libcurl could not start")
        }
        curl_easy_reset(handle)  // options only; the open connection stays in the handle's cache

        let body = UploadSource(message.data, handingOver: handingOver)
        let recipients: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, "<\(message.recipient)>")
        defer { curl_slist_free_all(recipients) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        let code: CURLcode = withExtendedLifetime(body) {
            errorBuffer.withUnsafeMutableBufferPointer { errors in
                configureSession(handle, errors: errors.baseAddress)
                gz_curl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(message.envelopeFrom)>")
                gz_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients)
                gz_curl_setopt_long(handle, CURLOPT_UPLOAD, 1)
                gz_curl_setopt_offset(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.data.count))
                gz_curl_setopt_data_callback(handle, CURLOPT_READFUNCTION) { buffer, size, count, context in
                    guard let buffer, let context else { return 0 }
                    return Unmanaged<UploadSource>.fromOpaque(context).takeUnretainedValue().read(
                        into: buffer, capacity: size * count)
                }
                gz_curl_setopt_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(body).toOpaque())
                return curl_easy_perform(handle)
            }
        }
        guard code != CURLE_OK else { return }

        let failure =
            body.handOverError.map { .abandoned(recipient: message.recipient, reason: String(describing: $0)) }
            ?? error(code: code, handle: handle, errorBuffer: errorBuffer, recipient: message.recipient)
        // After any failure the connection's state is unknown: start the next message afresh.
        curl_easy_cleanup(handle)
        session.handle = nil
        throw failure
    }

    /// The options every session shares, sending or only checking: server, TLS, login, limits.
    func configureSession(_ handle: UnsafeMutableRawPointer, errors: UnsafeMutablePointer<CChar>?) {
        let tls: Int
        switch settings.starttls {
        case .required: tls = Int(CURLUSESSL_ALL.rawValue)
        case .opportunistic: tls = Int(CURLUSESSL_TRY.rawValue)
        case .off: tls = Int(CURLUSESSL_NONE.rawValue)
        }
        gz_curl_setopt_string(handle, CURLOPT_URL, settings.url)
        gz_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        gz_curl_setopt_long(handle, CURLOPT_USE_SSL, tls)
        if let caFile = settings.caFile { gz_curl_setopt_string(handle, CURLOPT_CAINFO, caFile) }
        if let username = settings.username { gz_curl_setopt_string(handle, CURLOPT_USERNAME, username) }
        if let password = settings.password { gz_curl_setopt_string(handle, CURLOPT_PASSWORD, password) }
        gz_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        gz_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(settings.timeout.milliseconds))
        gz_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(settings.connectTimeout.milliseconds))
        gz_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errors)
    }

    /// What a failed transfer means, from libcurl's code and the server's last reply.
    func error(code: CURLcode, handle: UnsafeMutableRawPointer, errorBuffer: [CChar], recipient: String) -> MailTransportError {
        var reply = 0
        gz_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &reply)
        let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        switch code {
        case CURLE_USE_SSL_FAILED:
            return .tlsUnavailable(server: settings.displayURL)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CACERT_BADFILE:
            return .tlsFailed(server: settings.displayURL, reason: reason)
        case CURLE_LOGIN_DENIED:
            return .authentication(server: settings.displayURL, reason: reason)
        case CURLE_COULDNT_CONNECT:
            return .connection(
                server: settings.displayURL, reason: "nothing answers there (\(reason)); is the mail server running?")
        case CURLE_RECV_ERROR, CURLE_GOT_NOTHING,
            CURLE_SEND_ERROR where reply < 400:
            // libcurl's own words here ("response reading failed (errno: 115)") say little.
            return .connection(
                server: settings.displayURL,
                reason:
                    "the server closed the connection without answering (did it stop or restart?); the message is sent again on the next try"
            )
        default:
            // A reply of 400 or more is the server's verdict; anything else is the connection.
            if reply >= 400 { return .smtp(code: reply, reply: reason, recipient: recipient) }
            return .connection(server: settings.displayURL, reason: reason)
        }
    }

    /// Sleeps as needed to stay under `maxPerSecond`, counting every session's messages: each
    /// message's start is booked at least one interval after the one before.
    private func throttle() {
        guard let rate = settings.maxPerSecond, rate > 0 else { return }
        let now = ContinuousClock.now
        let start = lock.withLock {
            let start = lastStart.map { max(now, $0 + .seconds(1 / rate)) } ?? now
            lastStart = start
            return start
        }
        if start > now { Thread.sleep(forTimeInterval: (start - now).seconds) }
    }
}

/// Feeds a message's bytes to libcurl's read callback, calling `handingOver` before the last
/// of them: libcurl sends the end-of-data mark only once it has them all.
///
/// The last two bytes (the final line break) are held back and handed over after the hook:
/// when the hook runs, everything else is already written to the socket, so what separates
/// the recorded moment from the server holding the whole message is two bytes and the `.`
/// line (microseconds), not a buffer's worth of sending. Not one byte: libcurl 7.88 spoils
/// a lone final `\n` that follows a dot-stuffed buffer (the server stored "--\r\r\n").
private final class UploadSource {
    let data: Data
    var offset = 0
    private var handingOver: (() throws -> Void)?
    /// What `handingOver` threw; the transfer was aborted before the message's end.
    private(set) var handOverError: (any Error)?

    init(_ data: Data, handingOver: (() throws -> Void)?) {
        self.data = data
        self.handingOver = handingOver
    }

    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let remaining = data.count - offset
        guard remaining > 0, capacity > 0 else { return 0 }
        var count = min(capacity, remaining)
        if let hook = handingOver {
            if remaining > 2 {
                if count >= remaining - 1 { count = remaining - 2 }
            } else {
                handingOver = nil
                do {
                    try hook()
                } catch {
                    handOverError = error
                    return Int(CURL_READFUNC_ABORT)
                }
            }
        }
        data.withUnsafeBytes { raw in
            if let base = raw.baseAddress {
                UnsafeMutableRawPointer(buffer).copyMemory(from: base + offset, byteCount: count)
            }
        }
        offset += count
        return count
    }
}
