import Foundation
import GazetteModel

/// Politeness towards each web server: at most `perHost` requests to one host at a time,
/// and at least `gap` between the starts of two requests to it.
///
/// Sources on different hosts never wait for each other; sources on one host take turns.
/// The gate is entered on the thread that performs the transfer, right before it starts,
/// so the spacing holds on the wire even when the rest of the process is busy.
public final class HostGate: @unchecked Sendable {
    public let perHost: Int
    public let gap: Duration
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var active: [String: Int] = [:]
    private var lastStart: [String: ContinuousClock.Instant] = [:]

    public init(perHost: Int = 2, gap: Duration = .milliseconds(250)) {
        self.perHost = max(1, perHost)
        self.gap = gap
    }

    /// Runs `body` holding one of `host`'s slots, blocking the calling thread until one is
    /// free and the gap since the host's last start has passed.
    public func withSlot<T>(host: String, _ body: () throws -> T) rethrows -> T {
        enter(host)
        defer { leave(host) }
        return try body()
    }

    private func enter(_ host: String) {
        condition.lock()
        defer { condition.unlock() }
        while true {
            let now = ContinuousClock.now
            if active[host, default: 0] < perHost {
                guard let last = lastStart[host], now < last + gap else {
                    active[host, default: 0] += 1
                    lastStart[host] = now
                    return
                }
                condition.wait(until: Date().addingTimeInterval((last + gap - now).seconds))
            } else {
                condition.wait()
            }
        }
    }

    private func leave(_ host: String) {
        condition.lock()
        active[host, default: 1] -= 1
        condition.broadcast()
        condition.unlock()
    }
}
