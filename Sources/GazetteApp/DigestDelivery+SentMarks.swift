import Foundation
import GazetteStore

extension DigestDelivery {
    /// The server's acceptances (250) not yet committed to the ledger, committed a batch at a
    /// time: at `capacity` marks, and whenever sending pauses (the end of a run's pass, before
    /// waiting to retry, on a failure that ends the run).
    ///
    /// At least once still holds (ADR 0004): a row is `sent` only once its mark is committed,
    /// so a run that dies with marks in memory sends those messages again, as the same bytes
    /// under the same Message-ID. The batch only widens the window in which a crash repeats a
    /// message, from one message to at most `capacity` of them; their rows were marked handed
    /// over first, so the next run says they may arrive twice. The batch is closed by count
    /// alone, never by a clock, so the crash tests can say exactly which messages repeat.
    final class SentMarks: @unchecked Sendable {
        let capacity: Int
        private let database: AppDatabase
        private let checkpoint: @Sendable (DeliveryCheckpoint) -> Void
        private let lock = NSLock()
        // Guarded by `lock`.
        private var marks: [(id: Int64, at: Date)] = []

        init(database: AppDatabase, checkpoint: @escaping @Sendable (DeliveryCheckpoint) -> Void, capacity: Int = 200) {
            self.database = database
            self.checkpoint = checkpoint
            self.capacity = capacity
        }

        /// Notes that the server accepted delivery `id`; commits the batch when it is due.
        func record(_ id: Int64, at date: Date) throws {
            let due: [(id: Int64, at: Date)] = lock.withLock {
                marks.append((id, date))
                return marks.count >= capacity ? take() : []
            }
            try commit(due)
        }

        /// Commits every mark still in memory.
        func flush() throws {
            try commit(lock.withLock { take() })
        }

        private func take() -> [(id: Int64, at: Date)] {
            defer { marks.removeAll(keepingCapacity: true) }
            return marks
        }

        private func commit(_ due: [(id: Int64, at: Date)]) throws {
            guard !due.isEmpty else { return }
            checkpoint(.beforeSentCommit)
            try database.markDeliveriesSent(due)
        }
    }
}
