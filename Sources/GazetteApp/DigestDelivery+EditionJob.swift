import Foundation
import GazetteModel
import GazetteStore
import Mailing

extension DigestDelivery {
    /// One edition of a list being sent, as every worker of `run` sees it.
    struct EditionJob: Sendable {
        let list: SubscriberList
        let edition: String
        let retryOnly: Bool
        let only: String?
        /// The moment every subscriber's window ends.
        let asOf: Date
        /// The list's members, for progress.
        let total: Int
        let marks: SentMarks
        let pages: SubscriptionPages
        let state: EditionSendState
        let environment: AppEnvironment
    }

    /// A list's members a page at a time, each page to whichever worker asks next, with the
    /// page's ledger rows of the edition and last windows (read once, not once per subscriber).
    final class SubscriptionPages: @unchecked Sendable {
        struct Page {
            var members: [(subscriber: Subscriber, subscription: Subscription)]
            /// This edition's ledger rows, by subscriber id.
            var ledger: [Int64: Delivery]
            /// Where each subscriber's last digest ended, by subscriber id.
            var lastSent: [Int64: Date]
        }

        private let database: AppDatabase
        private let list: String
        private let edition: String
        private let pageSize: Int
        private let lock = NSLock()
        // Guarded by `lock`.
        private var cursor: SubscriptionCursor?
        private var finished = false

        init(database: AppDatabase, list: String, edition: String, pageSize: Int) {
            self.database = database
            self.list = list
            self.edition = edition
            self.pageSize = pageSize
        }

        /// The next page; nil after the last.
        func next() throws -> Page? {
            try lock.withLock {
                guard !finished else { return nil }
                let (members, next) = try database.subscriptions(inList: list, after: cursor, limit: pageSize)
                guard let next else {
                    finished = true
                    return nil
                }
                cursor = next
                let ids = members.compactMap(\.subscriber.id)
                return Page(
                    members: members, ledger: try database.deliveries(listName: list, edition: edition, subscriberIDs: ids),
                    lastSent: try database.lastSentWindowEnds(subscriberIDs: ids, listName: list))
            }
        }
    }

    /// What the workers of one edition share: the results so far, the deferred messages to
    /// retry, whether the server has accepted a message yet, and why sending stopped, if it did.
    final class EditionSendState: @unchecked Sendable {
        /// At most this many bytes of deferred messages are held for this run's retries
        /// (`DigestDelivery.deferredByteLimit`).
        let deferredByteLimit: Int

        init(deferredByteLimit: Int) {
            self.deferredByteLimit = deferredByteLimit
        }

        private let lock = NSLock()
        // Guarded by `lock`.
        private var results: [DeliveryResult] = []
        private var deferred: [(Pending, String)] = []
        /// The bytes of the messages in `deferred`.
        private var deferredBytes = 0
        private var stop: String?
        private var accepted = false
        private var index = 0

        /// Set once a message has been accepted: from then on every connection is used.
        var opened: Bool { lock.withLock { accepted } }

        /// Why nothing more is tried (a failure that would recur for every message), if so.
        var stopReason: String? { lock.withLock { stop } }

        /// The next member's place in the list, for progress.
        func nextIndex() -> Int {
            lock.withLock {
                defer { index += 1 }
                return index
            }
        }

        func append(_ result: DeliveryResult) {
            lock.withLock { results.append(result) }
        }

        /// Records what became of a message: a result, or a deferral to retry.
        func settle(_ sent: Sent, list: String) {
            lock.withLock {
                if case .sent = sent.outcome { accepted = true }
                if sent.stop {
                    stop = "not tried after: " + (DigestDelivery.outcomeReason(sent.outcome) ?? "an earlier failure")
                }
                if sent.retryable, case .failed(let reason) = sent.outcome,
                    deferredBytes + sent.pending.message.data.count <= deferredByteLimit
                {
                    deferred.append((sent.pending, reason))
                    deferredBytes += sent.pending.message.data.count
                } else {
                    results.append(
                        DeliveryResult(
                            list: list, email: sent.pending.subscriber.email, outcome: sent.outcome,
                            mayBeRepeat: sent.pending.mayBeRepeat))
                }
            }
        }

        /// The deferred messages, to retry now; they are no longer held here.
        func takeDeferred() -> [(Pending, String)] {
            lock.withLock {
                defer { (deferred, deferredBytes) = ([], 0) }
                return deferred
            }
        }

        func putBack(_ retrying: [(Pending, String)]) {
            lock.withLock {
                deferred = retrying + deferred
                deferredBytes = deferred.reduce(0) { $0 + $1.0.message.data.count }
            }
        }

        /// Every result, the messages still deferred counted as failed.
        func finish(list: String) -> [DeliveryResult] {
            lock.withLock {
                results
                    + deferred.map { pending, reason in
                        DeliveryResult(
                            list: list, email: pending.subscriber.email, outcome: .failed(reason), mayBeRepeat: pending.mayBeRepeat)
                    }
            }
        }
    }
}
