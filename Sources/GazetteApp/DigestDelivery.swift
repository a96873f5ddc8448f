import DigestBuilding
import Foundation
import GazetteModel
import GazetteStore
import Logging
import Mailing

/// What happened to one subscriber's digest in a run.
public struct DeliveryResult: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        case sent(articles: Int, messageID: String)
        /// Nothing new for this subscriber since their last digest.
        case nothingNew
        /// This edition already reached the subscriber; sending again would be a duplicate.
        case alreadySent
        /// Paused, unsubscribed, bounced or pending subscribers get nothing.
        case inactive(SubscriberStatus)
        /// Not sent this run (a deferral, a dropped connection…); retried on the next run.
        case failed(String)
        /// The server refused the recipient for good (5xx); not retried unless asked.
        case rejected(String)
        /// Refused for good in an earlier run of this edition; reported there, not again.
        case previouslyRejected
        /// Not tried: an earlier failure (TLS, credentials, the outbox) would recur for every message.
        case notAttempted(String)
    }

    public var list: String
    public var email: String
    public var outcome: Outcome
    /// An earlier, interrupted run had handed this same message to the server whole before
    /// it died, so the subscriber may see it twice (one Message-ID, which mail clients fold).
    public var mayBeRepeat: Bool = false

    public init(list: String, email: String, outcome: Outcome, mayBeRepeat: Bool = false) {
        self.list = list
        self.email = email
        self.outcome = outcome
        self.mayBeRepeat = mayBeRepeat
    }

    public var isFailure: Bool {
        switch outcome {
        case .failed, .rejected, .notAttempted: true
        default: false
        }
    }
}

/// Builds and sends one list's digests, one per active subscriber, recording each in the ledger.
///
/// At least once, under one Message-ID (ADR 0004): the ledger row is claimed (pending)
/// before the transport sees the message and marked sent only once the server's acceptance
/// is back, so nothing counts as delivered on a guess. A run that died mid-send leaves
/// pending rows; the next run sends each again as the same message, byte for byte (the
/// row's Message-ID, window, date and a boundary derived from the Message-ID). The moment
/// a message was handed over whole is recorded only to say that such a resend may arrive
/// twice. Deferred messages (4xx, dropped connections) are retried after each of
/// `retryDelays`; refusals (5xx) count toward the subscriber's bounce limit.
public struct DigestDelivery: Sendable {
    public var builder: DigestBuilder
    public var timeZone: TimeZone
    public var retryDelays: [Duration]
    public var bounceLimit: Int
    /// Send again deliveries that failed permanently (`gazette send --resend-failed`).
    public var retryRejected: Bool
    /// Subscribers read from the database at a time, with their ledger rows: a worker's share.
    public var pageSize = 500
    /// At most this many bytes of deferred messages are held for this run's retries; a
    /// deferral past it is a failure at once, its ledger row left for the next run to send. A
    /// server that went away mid-run would otherwise have every later message held in
    /// memory: about a gigabyte for 10,000 subscribers.
    public var deferredByteLimit = 64 << 20
    /// How many workers build and send pages at once; nil: `renderers(connections:)`.
    public var workers: Int?
    /// The VERP base address (`[delivery] return_path`): each message's envelope sender becomes
    /// `local+<ReturnPathToken>@domain`, so its bounce names the delivery. Nil: the list's sender.
    public var returnPath: String?

    public init(
        builder: DigestBuilder = DigestBuilder(), timeZone: TimeZone, retryDelays: [Duration] = [], bounceLimit: Int = 2,
        retryRejected: Bool = false
    ) {
        self.builder = builder
        self.timeZone = timeZone
        self.retryDelays = retryDelays
        self.bounceLimit = bounceLimit
        self.retryRejected = retryRejected
    }

    /// The edition a digest built at `date` belongs to: the list's latest scheduled
    /// occurrence at or before it (or `date` itself when the schedule never fired), as a key.
    public func edition(of list: SubscriberList, at date: Date) -> (key: String, scheduledAt: Date) {
        let occurrence = (try? Schedule(parsing: list.schedule))?.latestOccurrence(atOrBefore: date, in: timeZone) ?? date
        return (Schedule.editionKey(occurrence, in: timeZone), occurrence)
    }

    /// A message claimed in the ledger and ready for the transport.
    struct Pending: Sendable {
        var deliveryID: Int64
        var subscriber: Subscriber
        var articles: Int
        var message: OutgoingMessage
        /// An earlier attempt was handed over whole (`Delivery.mayAlreadyHaveArrived`).
        var mayBeRepeat: Bool
    }


    /// What became of one message handed to the transport.
    struct Sent: Sendable {
        var pending: Pending
        var outcome: DeliveryResult.Outcome
        var retryable: Bool
        var stop: Bool
    }

    /// How many pages of subscribers are built and sent at once: one per core, as many as
    /// the transport has connections, at most four (each keeps its own caches of renderings
    /// and candidate pools, tens of MB on a newsroom's day).
    static func renderers(connections: Int, cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        max(1, min(cores, connections, 4))
    }

    /// Sends one edition of the list.
    ///
    /// Subscribers are read a page at a time, those who follow the same things together (so
    /// they share renderings). Pages are handed to `renderers` workers, one per core, each with
    /// its own caches of renderings, all sharing the edition's article blocks and costs
    /// (`EditionParts`); a worker builds, claims and renders each digest of its page, and child
    /// tasks send them, `transport.connections` at once in all: the next digests are built
    /// while others are on the wire, and no more messages than that are held in memory,
    /// however long the list. The first page goes alone, one message at a time until the
    /// server has accepted one, so a failure that would recur for every message (TLS, login)
    /// is met once. Results come back in address order. Acceptances are committed in batches
    /// (`SentMarks`).
    /// - Parameters:
    ///   - edition: the edition key (`edition(of:at:)`, or a manual one for `--force`).
    ///   - retryOnly: only subscribers whose delivery of this edition failed or was
    ///     interrupted; the edition was already handled for everyone else.
    ///   - only: this subscriber's address alone (`gazette send --subscriber`).
    public func run(
        list: SubscriberList, edition: String, retryOnly: Bool = false, only: String? = nil, environment: AppEnvironment
    ) async throws -> [DeliveryResult] {
        // One moment for the whole edition: every subscriber's window ends here, so those whose
        // windows start together (all first digests, all who got the last edition) share one
        // candidate pool instead of each loading their own.
        let asOf = environment.now()
        environment.logger.info("\(list.name): building and sending edition \(edition)")
        let database = environment.database
        let slots = max(1, environment.transport.connections)
        let total = try database.subscriptionCount(inList: list.name)
        let job = EditionJob(
            list: list, edition: edition, retryOnly: retryOnly, only: only, asOf: asOf, total: total,
            marks: SentMarks(database: database, checkpoint: environment.checkpoint),
            pages: SubscriptionPages(database: database, list: list.name, edition: edition, pageSize: pageSize),
            state: EditionSendState(deferredByteLimit: deferredByteLimit), environment: environment)
        let workers = max(1, self.workers ?? Self.renderers(connections: slots))
        let parts = EditionParts(job, timeZone: timeZone)
        do {
            var first = makeWorker(job, parts)
            if let page = try job.pages.next() {
                try await send(page, slots: slots, worker: &first, job: job)
            }
            if workers == 1 {
                while let page = try job.pages.next() { try await send(page, slots: slots, worker: &first, job: job) }
            } else {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for number in 0..<workers {
                        // Each worker's share of the connections (the first keeps its caches).
                        let share = max(1, slots / workers + (number < slots % workers ? 1 : 0))
                        let initial = number == 0 ? first : nil
                        group.addTask {
                            var worker = initial ?? self.makeWorker(job, parts)
                            while let page = try job.pages.next() {
                                try await self.send(page, slots: share, worker: &worker, job: job)
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            try job.marks.flush()
            for delay in retryDelays {
                let retrying = job.state.takeDeferred()
                guard !retrying.isEmpty, job.state.stopReason == nil else {
                    job.state.putBack(retrying)
                    break
                }
                environment.logger.info("\(list.name): \(retrying.count) deferred, retrying in \(delay)")
                try await Task.sleep(for: delay)
                for (pending, _) in retrying {
                    job.state.settle(try await send(pending, marks: job.marks, environment: environment), list: list.name)
                }
                try job.marks.flush()
            }
        } catch {
            // What the server accepted before the failure is still committed as sent.
            try? job.marks.flush()
            throw error
        }
        environment.progress(ProgressUpdate(phase: "Sending \(list.name)", done: total, total: total))
        let results = job.state.finish(list: list.name)
        for failure in results where failure.isFailure {
            environment.logger.error("\(list.name) → \(failure.email): \(Self.outcomeReason(failure.outcome) ?? "")")
        }
        return results.sorted { $0.email.lowercased() < $1.email.lowercased() }
    }

    /// What one worker keeps between its pages: candidate pools and the edition's renderings.
    /// Handed to one task, which alone uses it.
    struct Worker: @unchecked Sendable {
        var pools = PoolCache()
        var renders: EditionRenders
    }

    /// What every worker of an edition shares, each part guarding itself: the formatted
    /// articles, their rendered blocks and their costs, made once for the edition rather than
    /// once per worker (a newsroom's 4,000 articles at four trimming levels each).
    struct EditionParts: @unchecked Sendable {
        let items: ItemMemo
        let blocks: ArticleBlocks?
        let costs: EntryCosts

        init(_ job: EditionJob, timeZone: TimeZone) {
            let templates = job.environment.templates
            items = ItemMemo(timeZone: timeZone, strings: DigestDelivery.strings(of: job.list, templates: templates))
            blocks = ArticleBlocks(templates: templates)
            costs = EntryCosts(
                list: job.list, date: job.asOf, timeZone: timeZone, templates: templates, blocks: blocks, items: items)
        }
    }

    private func makeWorker(_ job: EditionJob, _ parts: EditionParts) -> Worker {
        Worker(
            renders: EditionRenders(
                shared: RenderCache(blocks: parts.blocks, items: parts.items), costs: parts.costs,
                sizingLinks: sizingLinks(list: job.list, environment: job.environment)))
    }

    /// Builds, claims and sends the digests of one page of subscribers, at most `slots` on the
    /// wire at once, and waits for the last of them.
    private func send(_ page: SubscriptionPages.Page, slots: Int, worker: inout Worker, job: EditionJob) async throws {
        let (list, environment, state) = (job.list, job.environment, job.state)
        try await withThrowingTaskGroup(of: Sent.self) { group in
            var inFlight = 0
            for (subscriber, subscription) in page.members {
                environment.progress(
                    ProgressUpdate(phase: "Sending \(list.name)", done: state.nextIndex(), total: job.total, item: subscriber.email))
                if let only = job.only, subscriber.email.lowercased() != only.lowercased() { continue }
                guard subscriber.status == .active else {
                    if !job.retryOnly {
                        state.append(
                            DeliveryResult(list: list.name, email: subscriber.email, outcome: .inactive(subscriber.status)))
                    }
                    continue
                }
                let prior = subscriber.id.flatMap { page.ledger[$0] }
                if job.retryOnly {
                    guard let row = prior,
                        row.status == .pending || (row.status == .failed && (!row.permanent || retryRejected))
                    else { continue }
                }
                // A free connection first: what is claimed next goes out at once. Until the
                // server has accepted one message, one goes at a time, so a failure that would
                // recur for every message (TLS, login) is met once, not once per connection.
                while inFlight >= (state.opened ? slots : 1), let sent = try await group.next() {
                    inFlight -= 1
                    state.settle(sent, list: list.name)
                }
                // Once sending has stopped, the rest are only claimed, for the next run to send:
                // making their messages would be all of a newsroom's CPU for nothing.
                let stopReason = state.stopReason
                let pending: Pending
                switch try claim(
                    list: list, edition: job.edition, subscriber: subscriber, subscription: subscription, asOf: job.asOf,
                    prior: prior, lastSent: subscriber.id.flatMap { page.lastSent[$0] }, rendering: stopReason == nil,
                    pools: &worker.pools, renders: &worker.renders, environment: environment)
                {
                case .ready(let ready): pending = ready
                case .claimedOnly(let mayBeRepeat):
                    state.append(
                        DeliveryResult(
                            list: list.name, email: subscriber.email, outcome: .notAttempted(stopReason ?? ""),
                            mayBeRepeat: mayBeRepeat))
                    continue
                case .done(let outcome):
                    state.append(DeliveryResult(list: list.name, email: subscriber.email, outcome: outcome))
                    continue
                }
                if let stopReason = state.stopReason {
                    state.append(result(list, pending, .notAttempted(stopReason)))
                    continue
                }
                let marks = job.marks
                let firstContact = !state.opened
                group.addTask {
                    try await self.send(pending, marks: marks, firstContact: firstContact, environment: environment)
                }
                inFlight += 1
                // The send starts on this thread's turn: with every core's thread building
                // digests, a new send would otherwise wait for the connections to fill up
                // (the next `group.next()`) before reaching the wire, and the cores for its reply.
                await Task.yield()
            }
            while let sent = try await group.next() { state.settle(sent, list: list.name) }
        }
    }

    private enum Claim {
        case ready(Pending)
        /// The row is claimed (pending) but no message made: sending had stopped.
        case claimedOnly(mayBeRepeat: Bool)
        case done(DeliveryResult.Outcome)
    }

    /// Builds the subscriber's digest and claims its ledger row; nothing is sent yet.
    ///
    /// With a `prior` row of this edition that is still to be sent (a run died, or the server
    /// deferred it), the digest is built again over that row's window and as of its end, and
    /// dated when it was first claimed, so the message is the one the first attempt sent.
    /// - Parameter rendering: false once sending has stopped: the row is claimed from the digest
    ///   as built (its window; its article count before any trimming), and the message is made
    ///   when the next run sends it.
    private func claim(
        list: SubscriberList, edition: String, subscriber: Subscriber, subscription: Subscription, asOf: Date,
        prior: Delivery?, lastSent: Date?, rendering: Bool = true, pools: inout PoolCache, renders: inout EditionRenders,
        environment: AppEnvironment
    ) throws -> Claim {
        guard let subscriberID = subscriber.id else { return .done(.failed("subscriber has no id")) }
        if let prior {
            if prior.status == .sent { return .done(.alreadySent) }
            if prior.status == .failed, prior.permanent, !retryRejected { return .done(.previouslyRejected) }
        }
        let asOf = prior?.window.end ?? asOf
        let now = environment.now()
        let window = prior?.window ?? DigestBuilder.window(lastSentEnd: lastSent, now: asOf, rules: list.rules)
        // Members come grouped by what they follow: the one before most often had this digest.
        let selection = LastBuild.Key(window: window, subscription: subscription)
        var (built, links): (Digest, DigestLinks)
        if let known = renders.lastBuild, known.key == selection {
            (built, links) = (known.digest, self.links(for: subscriber, list: list, environment: environment))
            built.subscriber = subscriber
        } else {
            (built, links) = try build(
                list: list, subscriber: subscriber, subscription: subscription, now: asOf, window: window, pools: &pools,
                environment: environment)
            renders.lastBuild = LastBuild(key: selection, digest: built)
        }
        guard rendering else {
            guard !built.isEmpty || list.rules.emptyDigest == .note else { return .done(.nothingNew) }
            environment.checkpoint(.beforeClaim)
            let claimed = try claimRow(
                built, list: list, edition: edition, subscriberID: subscriberID, now: now, environment: environment)
            if claimed.status == .sent { return .done(.alreadySent) }
            if claimed.status == .failed { return .done(.previouslyRejected) }
            environment.checkpoint(.afterClaim)
            return .claimedOnly(mayBeRepeat: claimed.mayAlreadyHaveArrived)
        }
        environment.checkpoint(.beforeRender)
        let personalization = DigestPersonalization(subscriber: subscriber, links: links)
        let measuring = DigestPersonalization(subscriber: Self.sizingReader(for: subscriber), links: renders.sizingLinks)
        let rendering: Rendering
        if let reused = renders.lastBuild?.reusableRendering(
            for: subscriber, personalization: personalization, measuring: measuring)
        {
            rendering = reused
        } else {
            rendering = try fitted(
                built, for: personalization, measuring: measuring, list: list, now: asOf, renders: &renders,
                environment: environment)
            renders.lastBuild?.keep(rendering, personalization: personalization, measuring: measuring)
        }
        let digest = rendering.digest
        guard !digest.isEmpty || list.rules.emptyDigest == .note else { return .done(.nothingNew) }
        environment.checkpoint(.beforeClaim)
        let claimed = try claimRow(digest, list: list, edition: edition, subscriberID: subscriberID, now: now, environment: environment)
        if claimed.status == .sent { return .done(.alreadySent) }
        if claimed.status == .failed { return .done(.previouslyRejected) }
        guard let deliveryID = claimed.id else { return .done(.failed("the ledger returned no id")) }
        // Everything in the message comes from the row, so a resend is the same bytes.
        let boundary = Self.boundary(forMessageID: claimed.messageID)
        let data: Data
        switch rendering {
        case .shared(let template, _):
            data =
                try template.message(
                    digest: digest, personalization: personalization, messageID: claimed.messageID, date: claimed.createdAt,
                    boundary: boundary, timeZone: timeZone)
                ?? message(
                    renderAsIs(digest, links: links, now: asOf, environment: environment), messageID: claimed.messageID,
                    date: claimed.createdAt, boundary: boundary)
        case .full(let prepared):
            data = message(prepared, messageID: claimed.messageID, date: claimed.createdAt, boundary: boundary)
        }
        environment.checkpoint(.afterClaim)
        return .ready(
            Pending(
                deliveryID: deliveryID, subscriber: subscriber, articles: digest.articleCount,
                message: OutgoingMessage(
                    envelopeFrom: returnPath.map {
                        ReturnPathToken(deliveryID: deliveryID, subscriberID: subscriberID).address(
                            returnPath: $0, key: environment.signingKey)
                    } ?? list.senderAddress,
                    recipient: subscriber.email, messageID: claimed.messageID, data: data),
                mayBeRepeat: claimed.mayAlreadyHaveArrived))
    }

    /// Claims the ledger row of `digest` (pending, with a new Message-ID), or gives back the
    /// edition's row the subscriber already has.
    private func claimRow(
        _ digest: Digest, list: SubscriberList, edition: String, subscriberID: Int64, now: Date, environment: AppEnvironment
    ) throws -> Delivery {
        try environment.database.claimDelivery(
            Delivery(
                subscriberID: subscriberID, listName: list.name, edition: edition, window: digest.window,
                status: .pending,
                messageID: DigestMessageComposer.messageID(
                    list: list, edition: edition, subscriberID: subscriberID, token: environment.makeToken()),
                articleCount: digest.articleCount, createdAt: now),
            retryPermanent: retryRejected)
    }

    /// The caches an edition's renderings share: shared renderings, trimming results and
    /// each entry's cost.
    struct EditionRenders {
        var shared: RenderCache
        var fits = FitCache()
        let costs: EntryCosts
        /// The links digests are measured with (`sizingLinks`), signed once.
        let sizingLinks: DigestLinks
        var lastBuild: LastBuild?
        /// Where this worker's level searches start (`ChromeModel`).
        var chrome = ChromeModel()
    }

    /// The last digest built in a run and what it was built from. `DigestBuilder.build` reads
    /// nothing of the subscriber but their subscription's choices, so the next member with
    /// the same choices and window gets the same digest.
    struct LastBuild {
        struct Key: Equatable {
            var window: DigestWindow
            var sections: [SectionPath]
            var tags: [String]
            var mutedSections: [SectionPath]
            var mutedTags: [String]

            init(window: DigestWindow, subscription: Subscription) {
                self.window = window
                sections = subscription.sections
                tags = subscription.tags
                mutedSections = subscription.mutedSections
                mutedTags = subscription.mutedTags
            }
        }

        var key: Key
        var digest: Digest
        /// The shared rendering the last member got, and the shape of what was spliced into
        /// it and measured: the next member of the same selection whose values have the same
        /// shape and lengths is trimmed the same way (`FitCache`) and gets the same rendering
        /// (`RenderCache`), so it is reused without hashing the digest to find either.
        private var rendering: (template: DigestMessageTemplate, digest: Digest, shape: DigestPersonalization.Shape)?
        private var measured: (shape: DigestPersonalization.Shape, lengths: [Int])?

        init(key: Key, digest: Digest) {
            self.key = key
            self.digest = digest
        }

        fileprivate mutating func keep(_ fitted: Rendering, personalization: DigestPersonalization, measuring: DigestPersonalization) {
            guard case .shared(let template, let digest) = fitted else {
                (rendering, measured) = (nil, nil)
                return
            }
            rendering = (template, digest, personalization.shape)
            measured = (measuring.shape, measuring.byteLengths)
        }

        /// The last member's rendering, for `subscriber`; nil unless it is surely the one
        /// `fitted` would give them.
        fileprivate func reusableRendering(
            for subscriber: Subscriber, personalization: DigestPersonalization, measuring: DigestPersonalization
        ) -> Rendering? {
            guard let rendering, let measured, personalization.shape == rendering.shape else { return nil }
            guard measuring.shape == measured.shape, measuring.byteLengths == measured.lengths else { return nil }
            var digest = rendering.digest
            digest.subscriber = subscriber
            return .shared(rendering.template, digest)
        }
    }

    /// A digest that fits the list's HTML budget, rendered: from a shared rendering others
    /// got too (`RenderCache`), or in full.
    fileprivate enum Rendering {
        case shared(DigestMessageTemplate, Digest)
        case full(Prepared)

        var digest: Digest {
            switch self {
            case .shared(_, let digest): digest
            case .full(let prepared): prepared.digest
            }
        }
    }

    /// The subscriber's digest trimmed to the HTML budget as `render` trims it, and rendered:
    /// from the shared rendering of the trimmed digest (`RenderCache`), or in full when the
    /// templates or the subscriber's values do not allow splicing. The trimming is measured
    /// for the `sizingReader` and kept (`FitCache`), so every subscriber of the same digest
    /// after the first reuses it.
    private func fitted(
        _ built: Digest, for personalization: DigestPersonalization, measuring: DigestPersonalization, list: SubscriberList,
        now: Date, renders: inout EditionRenders, environment: AppEnvironment
    ) throws -> Rendering {
        let key = FitCache.key(built, measuring: measuring)
        let start = renders.fits.start(key, for: built) ?? (built, .full, nil)
        // Where the level search starts: the level the worker's chrome model expects to fit
        // (once it has learned; before, a digest within the budget as built needs no costs).
        let sums = start.size == nil && renders.chrome.isWarm ? renders.costs.levelSums(of: built) : nil
        let guess = sums.flatMap { renders.chrome.start(for: built, sums: $0, budget: list.rules.htmlBudget) }
        var searched: LevelSearch.Outcome?
        let (digest, level, size) = try fitting(
            start.digest, level: start.level, size: start.size, sums: sums, guess: guess, searched: &searched, list: list,
            costs: renders.costs
        ) { digest, likelyFinal in
            // A digest likely to be sent as it is is rendered whole for sharing (the same
            // bytes) and measured from that rendering, which its subscribers then get; one
            // more likely over the budget is measured alone, HTML only.
            if likelyFinal,
                let template = renders.shared.template(
                    for: digest, personalization: measuring, date: now, timeZone: timeZone, environment: environment),
                let size = template.htmlEncodedSize(measuring)
            {
                return size
            }
            return try htmlSize(
                digest, for: measuring.subscriber, links: measuring.links, now: now, environment: environment,
                items: renders.shared.items, blocks: renders.shared.blocks)
        }
        // What the level search measured, before any article was dropped, teaches the model.
        if let searched { renders.chrome.observe(built, chrome: Double(searched.size.bytes - searched.entries.bytes)) }
        renders.fits.remember(key, digest, level: level, size: size)
        // A template that cannot serve this subscriber's values gives no message; `claim` then
        // renders in full.
        if let template = renders.shared.template(
            for: digest, personalization: personalization, date: now, timeZone: timeZone, environment: environment)
        {
            return .shared(template, digest)
        }
        return .full(try renderAsIs(digest, links: personalization.links, now: now, environment: environment))
    }

    /// Trims `digest` to fit the list's HTML budget: the lowest level at which it measures
    /// within the budget (`LevelSearch`, when the entries' costs come from the edition's
    /// blocks), and past the last level, fewer articles as `DigestTrimmer.fit` chooses them
    /// from their costs until it measures within. `measure` gives a digest's HTML size as
    /// sent, for the `sizingReader`; its flag says whether the digest is likely the one sent.
    /// - Parameters:
    ///   - size: `digest`'s size when already measured (`FitCache`).
    ///   - sums: the entries' costs summed at each level (`EntryCosts.levelSums`), if at hand.
    ///   - guess: the level to measure first (`ChromeModel`); the result does not depend on it.
    ///   - searched: set to where the search ended, before any article is dropped, when the
    ///     entries' costs were summed (what the chrome model learns from).
    private func fitting(
        _ digest: Digest, level: DigestTrimmer.Level, size known: EncodedSize? = nil,
        sums: [DigestTrimmer.Level: EncodedSize]? = nil, guess: DigestTrimmer.Level? = nil,
        searched: inout LevelSearch.Outcome?, list: SubscriberList, costs: EntryCosts,
        measure: (Digest, _ likelyFinal: Bool) throws -> EncodedSize
    ) rethrows -> (Digest, DigestTrimmer.Level, EncodedSize) {
        let budget = list.rules.htmlBudget
        var (digest, level) = (digest, level)
        var size: EncodedSize
        if let known {
            size = known
        } else if level == .full, costs.blocks != nil {
            let built = digest
            let start = guess ?? .full
            let first = try measure(DigestTrimmer.trimmed(built, to: start), guess != nil)
            if guess == nil, first.bytes <= budget {
                (level, size) = (.full, first)  // within the budget as built: no costs needed
                searched = sums?[.full].map { LevelSearch.Outcome(level: .full, size: first, entries: $0) }
            } else {
                let search = LevelSearch(sums: sums ?? costs.levelSums(of: built), budget: budget, entries: built.articleCount)
                let found = try search.run(from: start) { candidate in
                    candidate == start ? first : try measure(DigestTrimmer.trimmed(built, to: candidate), true)
                }
                (level, size) = (found.level, found.size)
                searched = found
            }
            digest = DigestTrimmer.trimmed(built, to: level)
        } else {
            size = try measure(digest, level > .full)
        }
        // Past the last level: fewer articles. Costs are read only for a digest over the budget.
        while size.bytes > budget,
            let smaller = DigestTrimmer.fit(
                digest, level: level, size: size.bytes, budget: budget, costs: costs.costs(for: digest, sentAs: size))
        {
            (digest, level) = smaller
            size = try measure(digest, true)
        }
        return (digest, level, size)
    }

    /// Hands one message to the transport and records the verdict: a failure at once, an
    /// acceptance with the next batch of them (`SentMarks`).
    /// - Parameter firstContact: no message of this run has been accepted yet. A server that
    ///   cannot be reached then (nothing listens, a wrong host or port) would fail every other
    ///   message the same way: sending stops with that one reason, instead of trying, and
    ///   holding for a retry, every subscriber's message.
    /// - Returns: the outcome, whether it is worth retrying in this run, and whether to stop sending.
    private func send(
        _ pending: Pending, marks: SentMarks, firstContact: Bool = false, environment: AppEnvironment
    ) async throws -> Sent {
        func sent(_ outcome: DeliveryResult.Outcome, retryable: Bool = false, stop: Bool = false) -> Sent {
            Sent(pending: pending, outcome: outcome, retryable: retryable, stop: stop)
        }
        let database = environment.database
        do {
            let deliveryID = pending.deliveryID
            let now = environment.now
            let checkpoint = environment.checkpoint
            try await environment.transport.deliver(pending.message) {
                checkpoint(.midData)
                try database.markDeliveryHandedOver(id: deliveryID, at: now())
                checkpoint(.handedOver)
            }
        } catch let error as MailTransportError {
            try database.markDeliveryFailed(id: pending.deliveryID, error: error.description, permanent: error.isPermanent)
            if error.isPermanent {
                if let id = pending.subscriber.id, try database.recordBounce(subscriberID: id, limit: bounceLimit) {
                    environment.logger.warning("\(pending.subscriber.email) is now marked bounced")
                }
                return sent(.rejected(error.description))
            }
            var stops = error.stopsSending
            if firstContact, case .connection = error { stops = true }
            return sent(.failed(error.description), retryable: !stops, stop: stops)
        } catch {
            try database.markDeliveryFailed(id: pending.deliveryID, error: String(describing: error))
            return sent(.failed(String(describing: error)))
        }
        environment.checkpoint(.afterReply)
        try marks.record(pending.deliveryID, at: environment.now())
        let again = pending.mayBeRepeat ? " (again: an interrupted run had handed it over whole, so it may arrive twice)" : ""
        environment.logger.info(
            "sent to \(pending.subscriber.email): \(pending.articles) articles, \(pending.message.messageID)\(again)")
        return sent(.sent(articles: pending.articles, messageID: pending.message.messageID))
    }

    func result(_ list: SubscriberList, _ pending: Pending, _ outcome: DeliveryResult.Outcome) -> DeliveryResult {
        DeliveryResult(list: list.name, email: pending.subscriber.email, outcome: outcome, mayBeRepeat: pending.mayBeRepeat)
    }

    static func outcomeReason(_ outcome: DeliveryResult.Outcome) -> String? {
        switch outcome {
        case .failed(let reason), .rejected(let reason), .notAttempted(let reason): reason
        default: nil
        }
    }

    /// Candidate pools by window: subscribers who last received the same digest share one.
    ///
    /// At most `capacity` pools are kept, the least recently used going first, so memory
    /// stays flat however many distinct windows a list's subscribers have.
    struct PoolCache {
        var capacity = 8
        private var pools: [DigestWindow: CandidatePool] = [:]
        private var recency: [DigestWindow] = []

        mutating func pool(
            for window: DigestWindow, list: SubscriberList, now: Date, environment: AppEnvironment
        ) throws -> CandidatePool {
            if let pool = pools[window] {
                recency.removeAll { $0 == window }
                recency.append(window)
                return pool
            }
            // Up to now, not just the window's end, so articles still stabilizing can be explained.
            let articles = try environment.database.articles(firstSeenIn: DigestWindow(start: window.start, end: now))
            let pool = CandidatePool(articles: articles, window: window, rules: list.rules, now: now)
            if pools.count >= capacity, let oldest = recency.first {
                pools[oldest] = nil
                recency.removeFirst()
            }
            pools[window] = pool
            recency.append(window)
            return pool
        }
    }

    /// A digest ready to mail, before any Message-ID exists: trimmed to the HTML budget,
    /// rendered, with its links. Shared with `Preview`, so a preview is what is sent.
    struct Prepared {
        var digest: Digest
        var model: DigestViewModel
        var rendered: RenderedDigest
        var links: DigestLinks
    }

    func prepare(
        list: SubscriberList, subscriber: Subscriber, subscription: Subscription, now: Date, pools: inout PoolCache,
        environment: AppEnvironment, explain: Bool = false
    ) throws -> Prepared {
        let (digest, links) = try build(
            list: list, subscriber: subscriber, subscription: subscription, now: now, pools: &pools, environment: environment,
            explain: explain)
        return try render(digest, links: links, list: list, now: now, environment: environment)
    }

    /// The subscriber's digest, untrimmed, and their links.
    /// - Parameter window: the window to cover; by default, from where the last digest that
    ///   reached the subscriber ended up to `now`.
    func build(
        list: SubscriberList, subscriber: Subscriber, subscription: Subscription, now: Date, window: DigestWindow? = nil,
        pools: inout PoolCache, environment: AppEnvironment, explain: Bool = false
    ) throws -> (Digest, DigestLinks) {
        let window = try window ?? nextWindow(list: list, subscriber: subscriber, now: now, environment: environment)
        let pool = try pools.pool(for: window, list: list, now: now, environment: environment)
        let digest = builder.build(pool: pool, list: list, subscriber: subscriber, subscription: subscription, explain: explain)
        return (digest, links(for: subscriber, list: list, environment: environment))
    }

    /// The subscriber's signed unsubscribe and preference links.
    func links(for subscriber: Subscriber, list: SubscriberList, environment: AppEnvironment) -> DigestLinks {
        let token = SubscriptionToken(subscriberID: subscriber.id ?? 0, listName: list.name).signed(with: environment.signingKey)
        return DigestLinks.make(
            token: token, senderAddress: list.senderAddress, unsubscribeTemplate: list.unsubscribeURLTemplate,
            preferencesTemplate: list.preferencesURLTemplate)
    }

    /// The links a digest is measured with against the HTML budget, in place of each
    /// subscriber's: signed for the largest subscriber id, so at least as long as anyone's
    /// (a token grows with the id's digits). With `sizingReader`, the trimming of a digest is
    /// the same for all its subscribers, measured once.
    func sizingLinks(list: SubscriberList, environment: AppEnvironment) -> DigestLinks {
        links(for: Subscriber(id: Int64.max, email: "", createdAt: .distantPast), list: list, environment: environment)
    }

    /// From where the last digest that reached the subscriber ended (or the list's lookback)
    /// up to `now`.
    func nextWindow(list: SubscriberList, subscriber: Subscriber, now: Date, environment: AppEnvironment) throws -> DigestWindow {
        let lastSent = try subscriber.id.flatMap {
            try environment.database.lastSentWindowEnd(subscriberID: $0, listName: list.name)
        }
        return DigestBuilder.window(lastSentEnd: lastSent, now: now, rules: list.rules)
    }

    /// The full rendering of one subscriber's digest, trimmed to the list's HTML budget as
    /// measured for their `sizingReader` and the `sizingLinks` (so it fits them, and trims as
    /// the run does).
    func render(_ digest: Digest, links: DigestLinks, list: SubscriberList, now: Date, environment: AppEnvironment) throws
        -> Prepared
    {
        let costs = EntryCosts(list: list, date: now, timeZone: timeZone, templates: environment.templates)
        let reader = Self.sizingReader(for: digest.subscriber)
        let measured = sizingLinks(list: list, environment: environment)
        var searched: LevelSearch.Outcome?
        let (fitted, _, _) = try fitting(digest, level: .full, searched: &searched, list: list, costs: costs) { digest, _ in
            try htmlSize(digest, for: reader, links: measured, now: now, environment: environment, items: nil, blocks: nil)
        }
        return try renderAsIs(fitted, links: links, now: now, environment: environment)
    }

    /// The HTML part's size as sent of `digest` read by `reader` (a `sizingReader`): what the
    /// budget measures, for the run and for `gazette preview` alike. Only the HTML is rendered,
    /// through the edition's items and article blocks when given (the same bytes, faster).
    private func htmlSize(
        _ digest: Digest, for reader: Subscriber, links: DigestLinks, now: Date, environment: AppEnvironment,
        items: ItemMemo?, blocks: ArticleBlocks?
    ) throws -> EncodedSize {
        var measured = digest
        measured.subscriber = reader
        let model = DigestViewModel(
            digest: measured, date: now, timeZone: timeZone, links: links,
            strings: environment.templates.strings(for: digest.list.language), items: items)
        return try environment.templates.htmlEncodedSize(model, blocks: blocks)
    }

    /// The full rendering of `digest` as it is, without trimming.
    private func renderAsIs(_ digest: Digest, links: DigestLinks, now: Date, environment: AppEnvironment) throws -> Prepared {
        let model = DigestViewModel(
            digest: digest, date: now, timeZone: timeZone, links: links, strings: environment.templates.strings(for: digest.list.language))
        return Prepared(digest: digest, model: model, rendered: try environment.templates.render(model), links: links)
    }

    /// The complete MIME message for a prepared digest.
    func message(_ prepared: Prepared, messageID: String, date: Date, environment: AppEnvironment) -> Data {
        message(prepared, messageID: messageID, date: date, boundary: Self.boundary(forMessageID: messageID))
    }

    func message(_ prepared: Prepared, messageID: String, date: Date, boundary: String) -> Data {
        let message = DigestMessageComposer.compose(
            digest: prepared.digest, rendered: prepared.rendered, subject: prepared.model.subject, messageID: messageID,
            date: date, links: prepared.links)
        return MIMEWriter.render(message, boundary: boundary, timeZone: timeZone)
    }
}
