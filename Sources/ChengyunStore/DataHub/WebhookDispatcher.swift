import ChengyunCore
import Foundation
import Logging
import SQLKit

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends due webhook deliveries: each POSTed with its id, topic and signature (or, for a
/// subscription that asked for batches, several of its deliveries in one POST, `WebhookBatch`);
/// a 2xx answer marks it delivered, anything else (or no answer in 10 s) schedules the next attempt by
/// `WebhookPolicy`, until it is dead. Run by the leading node only. A delivery sent and not yet
/// marked when the node stops is sent again under the same id: at least once, each id applied once
/// by a receiver that remembers them.
public struct WebhookDispatcher: Sendable {
    let platform: Platform
    let subscriptions = SubscriptionRepository()
    let logger: Logger

    public init(platform: Platform, logger: Logger = Logger(label: "chengyun.webhooks")) {
        self.platform = platform
        self.logger = logger
    }

    public struct Round: Equatable, Sendable {
        public var delivered = 0
        public var failed = 0
        public var dead = 0

        public init(delivered: Int = 0, failed: Int = 0, dead: Int = 0) {
            (self.delivered, self.failed, self.dead) = (delivered, failed, dead)
        }

        /// Counts `other`'s deliveries in this one too.
        public mutating func add(_ other: Round) {
            (delivered, failed, dead) = (delivered + other.delivered, failed + other.failed, dead + other.dead)
        }
    }

    /// One round: up to `limit` due deliveries, several subscriptions at once, each subscription's
    /// in order (a failure holds back its later ones to the next round). No POST starts after
    /// `until`, when given: one busy subscription (a replay, a receiver back from an outage) does
    /// not hold the round past it, and what it had left is due in the next.
    public func round(limit: Int = 500, parallel: Int = 16, until: ContinuousClock.Instant? = nil) async throws
        -> Round
    {
        let now = platform.now()
        let due = try await platform.pool.read { try await subscriptions.due(at: now, limit: limit, on: $0) }
        guard !due.isEmpty else { return Round() }
        let targets = try await platform.pool.read {
            try await subscriptions.find(ids: Set(due.map(\.subscriptionId)), on: $0)
        }
        let outcomes = WebhookOutcomes { [subscriptions] attempts in
            try await platform.pool.transaction { try await subscriptions.record(attempts, on: $0) }
            // A delivery changed meanwhile is skipped by the statement; its sender goes on alike.
            return attempts.map { _ in true }
        }
        let queues = Dictionary(grouping: due, by: \.subscriptionId).values.map { $0.sorted { $0.id < $1.id } }
        return try await Self.concurrently(queues, width: parallel) { queue in
            try await send(queue, to: targets[queue[0].subscriptionId], until: until, recording: outcomes)
        }
    }

    /// Runs `send` for each piece of `work`, at most `width` at once, adding up what they did.
    static func concurrently<Work: Sendable>(
        _ work: [Work], width: Int, _ send: @escaping @Sendable (Work) async throws -> Round
    ) async throws -> Round {
        var round = Round()
        try await withThrowingTaskGroup(of: Round.self) { group in
            var next = work.makeIterator()
            func start() -> Bool {
                guard let piece = next.next() else { return false }
                group.addTask { try await send(piece) }
                return true
            }
            for _ in 0..<max(1, width) where !start() { break }
            while let done = try await group.next() {
                round.add(done)
                _ = start()
            }
        }
        return round
    }

    /// A subscription's due deliveries, a POST at a time — each alone, or up to its batch size in
    /// one (`WebhookBatch`) — each POST's outcome committed for all it carried before the next
    /// POST (in a transaction shared with the other senders' outcomes of the moment).
    /// A POST that does not deliver holds back the rest to a later round.
    private func send(
        _ queue: [Delivery], to target: SubscriptionRepository.Row?, until: ContinuousClock.Instant?,
        recording outcomes: WebhookOutcomes
    ) async throws -> Round {
        var round = Round()
        for chunk in WebhookBatch.chunks(queue, size: target?.batchSize ?? 1) {
            if let until, ContinuousClock.now >= until { break }
            let answer: (status: Int?, error: String?)
            let active = target?.state == SubscriptionState.active.rawValue
            if let target, active, let url = target.url.flatMap(URL.init) {
                answer = await post(Array(chunk), to: url, target: target)
            } else {
                answer = (nil, "the subscription was cancelled")
            }
            let at = platform.now()
            let attempted = chunk.map { before in
                var delivery = before
                delivery.attempts += 1
                (delivery.state, delivery.nextAttemptAt) =
                    active
                    ? WebhookPolicy.after(status: answer.status, attempts: delivery.attempts, at: at) : (.dead, at)
                (delivery.lastStatus, delivery.lastError) = (answer.status, answer.error)
                if delivery.state == .delivered { delivery.deliveredAt = at }
                return delivery
            }
            try await outcomes.record(attempted)
            for delivery in attempted {
                switch delivery.state {
                case .delivered: round.delivered += 1
                case .dead: round.dead += 1
                default: round.failed += 1
                }
            }
            if attempted.contains(where: { $0.state != .delivered }) { break }
        }
        return round
    }

    /// One POST to a receiver whose address is looked up first: a name standing for the cloud's
    /// metadata service, say, is never sent to, and the attempt fails as any receiver that cannot
    /// be reached (the name may be mended).
    func post(_ deliveries: [Delivery], to url: URL, target: SubscriptionRepository.Row) async -> (
        status: Int?, error: String?
    ) {
        guard await OutboundAddress.admits(url) else { return (nil, OutboundAddress.refusal) }
        return await sendAdmitted(deliveries, to: url, target: target)
    }

    /// One POST to an address already admitted (`OutboundAddress`): a single delivery as its own
    /// body, its id in `X-Chengyun-Delivery`; a batch as `WebhookBatch`'s body, its size in
    /// `X-Chengyun-Batch`. Signed alike.
    func sendAdmitted(_ deliveries: [Delivery], to url: URL, target: SubscriptionRepository.Row) async -> (
        status: Int?, error: String?
    ) {
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = "POST"
        // An NGSI-LD endpoint says what it accepts; every other receiver gets JSON.
        request.setValue(target.context?.accept ?? "application/json", forHTTPHeaderField: "content-type")
        request.setValue(deliveries[0].topic.rawValue, forHTTPHeaderField: "X-Chengyun-Topic")
        let body: String
        // Batches are for the platform's own format; an NGSI-LD notification always goes alone.
        if target.batchSize > 1, target.context == nil {
            body = WebhookBatch.body(deliveries.map { .init(id: $0.id, topic: $0.topic.rawValue, body: $0.body) })
            request.setValue(String(deliveries.count), forHTTPHeaderField: "X-Chengyun-Batch")
        } else {
            body = deliveries[0].body
            request.setValue(deliveries[0].id, forHTTPHeaderField: "X-Chengyun-Delivery")
        }
        request.setValue(
            WebhookPolicy.signature(secret: target.secret, timestamp: platform.now(), body: body),
            forHTTPHeaderField: "X-Chengyun-Signature")
        request.httpBody = Data(body.utf8)
        do {
            let (_, response) = try await Self.session.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode, nil)
        } catch {
            // A class of failure, not the error's text: the log is no probe of the network.
            return (nil, (error as? URLError)?.code == .timedOut ? "timeout" : "unreachable")
        }
    }

    /// A session of the dispatcher's own: at most 15 s an attempt in all, redirects not followed
    /// (a 3xx is an answer that is not 2xx), nothing cached or stored.
    static let session = URLSession.outbound(idle: 10, total: 15, connectionsPerHost: 4)
}

extension URLSession {
    /// A session for calling other systems (webhooks, pulls, services): `idle` seconds without a
    /// byte and `total` in all; redirects refused; no cache, cookies or credentials kept, since one
    /// session calls for many callers and none may hear another's.
    static func outbound(idle: TimeInterval, total: TimeInterval, connectionsPerHost: Int? = nil) -> URLSession {
        let configuration = outboundConfiguration(idle: idle, total: total)
        if let connectionsPerHost { configuration.httpMaximumConnectionsPerHost = connectionsPerHost }
        return URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }

    /// The configuration `outbound` uses, for a session with a delegate of its own.
    static func outboundConfiguration(idle: TimeInterval, total: TimeInterval) -> URLSessionConfiguration {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = idle
        configuration.timeoutIntervalForResource = total
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.urlCredentialStorage = nil
        return configuration
    }
}

/// Refuses every redirect: a webhook answers where it was sent.
final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
