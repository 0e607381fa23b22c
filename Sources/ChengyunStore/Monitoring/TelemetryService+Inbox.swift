import ChengyunCore
import Logging
import Tracing

extension TelemetryService {
    /// Judges and stores the readings other nodes queued for this node's shards (`TelemetryInbox`),
    /// oldest first, each row in the transaction that takes it off the queue, traced as part of the
    /// request that queued it; returns the rows taken. Stops at a shard this node no longer holds (its new owner carries on).
    /// Tries of a queued row before it is set aside.
    static let inboxAttempts = 3

    private func setAside(_ seq: Int64, reason: String, logger: Logger?) async throws {
        let now = platform.now()
        try await platform.pool.transaction {
            try await TelemetryInbox().setAside(seq: seq, reason: reason, at: now, on: $0)
        }
        logger?.error("queued readings set aside", metadata: ["seq": "\(seq)", "reason": "\(reason)"])
    }

    @discardableResult
    public func drainInbox(logger: Logger? = nil) async throws -> Int {
        let page = 50
        var taken = 0
        while platform.shards.isClustered {
            let shards = platform.shards.claimed
            guard !shards.isEmpty else { break }
            let entries = try await platform.pool.read {
                try await TelemetryInbox().next(shards: shards, limit: page, on: $0)
            }
            for item in entries {
                let entry: TelemetryInbox.Entry
                switch item {
                case .success(let readable): entry = readable
                case .failure(let unreadable):
                    try await setAside(unreadable.seq, reason: "unreadable: \(unreadable.reason)", logger: logger)
                    continue
                }
                do {
                    // One trace with the request that queued it, on whichever node took that.
                    let report = try await withSpan(
                        "telemetry queued", context: TelemetryInbox.context(of: entry.trace), ofKind: .consumer
                    ) { span in
                        span.attributes["chengyun.shard"] = entry.shard
                        return try await ingest(entry.readings, by: entry.actor, queued: entry.seq)
                    }
                    taken += 1
                    if report.rejectedCount > 0 {
                        // Checked when they were queued and again after a reload here: the directory changed.
                        logger?.warning(
                            "queued readings refused",
                            metadata: [
                                "shard": "\(entry.shard)", "refused": "\(report.rejectedCount)",
                                "first": "\(report.rejected.first.map { "\($0.code.rawValue) \($0.message)" } ?? "")",
                            ])
                    }
                } catch is InboxEntryGone {
                    continue
                } catch let fenced as ShardFencedOut {
                    platform.shards.drop(fenced.shards)
                    return taken
                } catch {
                    // A row failing again and again is set aside rather than hold up its shard.
                    guard platform.monitoring.inboxFailure(entry.seq) >= Self.inboxAttempts else { throw error }
                    try await setAside(entry.seq, reason: loggedError(error), logger: logger)
                }
            }
            if entries.count < page { break }
        }
        return taken
    }
}
