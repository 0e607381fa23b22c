import ChengyunCore
import Logging
import Tracing

extension TelemetryService {
    /// Tries of a queued row before it is set aside.
    static let inboxAttempts = 3
    /// Lines judged together at most, when consecutive rows of one request are taken in one turn.
    static let inboxLinesPerTurn = 20_000

    /// Judges and stores the readings other nodes queued for this node's shards (`TelemetryInbox`),
    /// oldest first, in the transaction that takes them off the queue, traced as part of the
    /// request that queued them; returns the rows taken. Consecutive rows of one request (the same
    /// key and trace: its lines for each of this node's shards) are judged in one turn. Stops at a
    /// shard this node no longer holds (its new owner carries on), and between pages once
    /// `stopping` says so (a node shutting down leaves the rest to its shards' next owners).
    @discardableResult
    public func drainInbox(logger: Logger? = nil, stopping: () -> Bool = { false }) async throws -> Int {
        let page = 200
        var taken = 0
        while platform.shards.isClustered && !stopping() && !Task.isCancelled {
            let shards = platform.shards.claimed
            guard !shards.isEmpty else { break }
            let entries = try await platform.pool.read {
                try await TelemetryInbox().next(shards: shards, limit: page, on: $0)
            }
            var run: [TelemetryInbox.Entry] = []
            for item in entries {
                switch item {
                case .success(let entry):
                    if let first = run.first,
                        first.actor != entry.actor || first.trace != entry.trace
                            || run.reduce(0, { $0 + $1.readings.count }) + entry.readings.count
                                > Self.inboxLinesPerTurn
                    {
                        guard let done = try await judge(run, logger: logger) else { return taken }
                        taken += done
                        run = []
                    }
                    run.append(entry)
                case .failure(let unreadable):
                    try await setAside(unreadable.seq, reason: "unreadable: \(unreadable.reason)", logger: logger)
                }
            }
            if !run.isEmpty {
                guard let done = try await judge(run, logger: logger) else { return taken }
                taken += done
            }
            if entries.count < page { break }
        }
        return taken
    }

    /// Judges consecutive rows in one turn; the rows taken, or nil when this node lost a shard
    /// (the drain stops). Rows failing together are tried one by one; one failing again and
    /// again is set aside rather than hold up its shard.
    private func judge(_ run: [TelemetryInbox.Entry], logger: Logger?) async throws -> Int? {
        guard let first = run.first else { return 0 }
        do {
            // One trace with the request that queued them, on whichever node took that.
            let report = try await withSpan(
                "telemetry queued", context: TelemetryInbox.context(of: first.trace), ofKind: .consumer
            ) { span in
                span.attributes["chengyun.shards"] = run.map { String($0.shard) }.joined(separator: ",")
                return try await ingest(run.flatMap(\.readings), by: first.actor, queued: run.map(\.seq))
            }
            if report.rejectedCount > 0 {
                // Checked when they were queued and again after a reload here: the directory changed.
                logger?.warning(
                    "queued readings refused",
                    metadata: [
                        "rows": "\(run.count)", "refused": "\(report.rejectedCount)",
                        "first": "\(report.rejected.first.map { "\($0.code.rawValue) \($0.message)" } ?? "")",
                    ])
            }
            return run.count
        } catch is InboxEntryGone {
            return 0
        } catch let conflict as DomainError where conflict.code == .concurrentUpdate {
            // People kept changing one of its alarms: not the rows' fault; the next drain takes them.
            return nil
        } catch let fenced as ShardFencedOut {
            platform.shards.drop(fenced.shards)
            return nil
        } catch {
            if run.count > 1 {
                var taken = 0
                for entry in run {
                    guard let done = try await judge([entry], logger: logger) else { return nil }
                    taken += done
                }
                return taken
            }
            guard platform.monitoring.inboxFailure(first.seq) >= Self.inboxAttempts else { throw error }
            try await setAside(first.seq, reason: loggedError(error), logger: logger)
            return 0
        }
    }

    private func setAside(_ seq: Int64, reason: String, logger: Logger?) async throws {
        let now = platform.now()
        try await platform.pool.transaction {
            try await TelemetryInbox().setAside(seq: seq, reason: reason, at: now, on: $0)
        }
        logger?.error("queued readings set aside", metadata: ["seq": "\(seq)", "reason": "\(reason)"])
    }
}
