import Crypto
import Foundation

/// A subscription (订阅) to a dataset's changes or to a kind of platform event, delivered by
/// webhook or kept for the subscriber to pull by cursor. Every change it matches becomes a
/// delivery in the transaction of the change, so none is lost; each delivery keeps its id through
/// every retry and replay, so a receiver that remembers ids applies each change once.
public struct Subscription: Codable, Equatable, Sendable {
    public var id: String
    /// The member of staff who subscribed; the subscription and its deliveries are theirs.
    public var ownerId: String
    /// Events outside this area path are not delivered (the owner's scope when subscribing).
    public var areaPath: String
    public var topic: SubscriptionTopic
    /// The dataset's code, for `dataset`.
    public var datasetCode: String?
    /// Where webhooks go; nil for a pulled subscription.
    public var url: String?
    public var state: SubscriptionState
    public var createdAt: Int64
    /// What an NGSI-LD subscription (topic `ngsi-ld`) asks for.
    public var criteria: ContextSubscription?
    /// At most this many deliveries in one webhook POST (`WebhookBatch`); 1, the default, sends
    /// each alone with its id in the headers.
    public var batchSize: Int = 1
    /// A webhook record feed's standing (topic `records` with a url), read with it.
    public var feed: RecordFeed.Status?

    public init(
        id: String, ownerId: String, areaPath: String, topic: SubscriptionTopic, datasetCode: String?, url: String?,
        createdAt: Int64
    ) {
        (self.id, self.ownerId, self.areaPath, self.topic) = (id, ownerId, areaPath, topic)
        (self.datasetCode, self.url, self.state, self.createdAt) = (datasetCode, url, .active, createdAt)
    }
}

/// What a subscription follows.
public enum SubscriptionTopic: String, Codable, CaseIterable, Sendable {
    /// A dataset's loads: each new version, with its counts (the records are read by the API).
    case dataset
    /// A dataset's records, each change of each as a load writes it (`RecordFeed`), by webhook or
    /// pulled by cursor.
    case records
    /// Monitoring alarms raised, acknowledged or cleared.
    case alarm
    /// Warnings (预警) raised, escalated or resolved.
    case warning
    /// Emergency incidents and their changes.
    case incident
    /// Each step of a case (`CaseChange`): reported, filed, dispatched, handled, checked, closed,
    /// and every side path between.
    case `case`
    /// NGSI-LD notifications of devices' and alarms' changes, made through the NGSI-LD door.
    case ngsiLD = "ngsi-ld"
}

public enum SubscriptionState: String, Codable, CaseIterable, Sendable {
    case active, cancelled
}

public enum DeliveryState: String, Codable, CaseIterable, Sendable {
    /// Waiting to be sent (again, after a failure, at `nextAttemptAt`).
    case pending
    /// The receiver answered 2xx.
    case delivered
    /// Refused or unreachable for every attempt: the dead-letter list, until replayed.
    case dead
    /// A pulled subscription's: kept for the subscriber to read by cursor.
    case stored
}

/// Webhook delivery: when to try again, when to give up, and how a body is signed.
public enum WebhookPolicy {
    /// Attempts before a delivery is dead: with the delays below, about an hour of trying.
    public static let maxAttempts = 20
    /// The longest wait between attempts.
    public static let maxDelayMillis: Int64 = 300_000

    /// The wait after the `attempts`-th failed attempt: 1 s, 2 s, 4 s … doubling, at most 5 minutes.
    public static func delay(afterAttempt attempts: Int) -> Int64 {
        guard attempts > 0 else { return 0 }
        let exponent = min(attempts - 1, 20)
        return min(Int64(1_000) << Int64(exponent), maxDelayMillis)
    }

    /// The state after an attempt at `now` that got `status` (nil: no answer) and was the
    /// `attempts`-th, with when to try next while it stays pending.
    public static func after(status: Int?, attempts: Int, at now: Int64) -> (DeliveryState, nextAttemptAt: Int64) {
        if let status, (200..<300).contains(status) { return (.delivered, now) }
        if attempts >= maxAttempts { return (.dead, now) }
        return (.pending, now + delay(afterAttempt: attempts))
    }

    /// The signature header's value: `t=<epoch ms>,v1=<hex HMAC-SHA-256 of "<t>.<body>" under the
    /// subscription's secret>`. The receiver recomputes it, and refuses an old `t` to stop replays
    /// by a third party.
    public static func signature(secret: String, timestamp: Int64, body: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(timestamp),v1=\(Hex.string(mac))"
    }

    /// Whether `url` is one the platform may send to or fetch from (webhooks, pulls, services):
    /// absolute http or https with a host, at most 500 characters, and not a host `OutboundHost`
    /// forbids.
    public static func isAcceptable(url: String) -> Bool {
        guard url.count <= 500, let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = parsed.host?.lowercased(), !host.isEmpty
        else { return false }
        return !OutboundHost.isForbidden(host)
    }
}
