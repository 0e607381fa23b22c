import ChengyunCore
import Logging
import Synchronization

/// This node's part in leading (docs/domain.md §10): it holds the lease or waits for it. Taking
/// the lease moves the epoch on; losing it (its connection gone) stops every singleton write at
/// once, because each checks the epoch in its own transaction (`FencedPool`). Each round of the
/// cluster service calls `step`; a process that never does (a test, a command-line tool) is not
/// in a cluster and judges telemetry itself.
public final class Leadership: Sendable {
    public let nodeId: String
    let lock: any LeaseLock
    private let held = Mutex<Int64?>(nil)
    private let stepped = Atomic(false)

    /// The epoch a round of singleton work was claimed under: its writes are fenced by that one,
    /// so a node that lost and took back the lead mid-round does not carry on under the new one.
    @TaskLocal public static var roundEpoch: Int64?

    init(nodeId: String, lock: any LeaseLock) {
        self.nodeId = nodeId
        self.lock = lock
    }

    /// The lease's epoch while this node leads.
    public var epoch: Int64? { held.withLock { $0 } }
    public var isLeader: Bool { epoch != nil }
    /// The epoch singleton writes go under: the round's when in one, else the one held (nil when
    /// this node does not lead).
    public var writeEpoch: Int64? { Leadership.roundEpoch ?? epoch }
    /// Whether a singleton round that goes on for a while may start another step: this node still
    /// leads under the epoch the round was claimed under (outside a round, always).
    public var leadsThisRound: Bool { Leadership.roundEpoch.map { $0 == epoch } ?? true }
    /// Whether this process takes part in a cluster (its cluster service has run a round).
    public var isClustered: Bool { stepped.load(ordering: .relaxed) }

    /// Keeps the lease or tries to take it; returns the epoch held after the round.
    @discardableResult
    public func step(_ platform: Platform, logger: Logger) async -> Int64? {
        stepped.store(true, ordering: .relaxed)
        if let epoch {
            guard await lock.isHeld() else { return lose(epoch, logger: logger) }
            // Nobody moved the epoch on meanwhile (a database that cannot be read now keeps the
            // lead: every singleton write checks the epoch anyway).
            if let current = try? await platform.pool.read({ try await ClusterRepository().leader(on: $0) }),
                current.epoch != epoch
            {
                await lock.release()
                return lose(epoch, logger: logger)
            }
            return epoch
        }
        do {
            guard try await lock.acquire() else { return nil }
            let now = platform.now()
            let epoch = try await platform.pool.transaction {
                try await ClusterRepository().takeLead(node: nodeId, at: now, on: $0)
            }
            // Another node judged telemetry while this one did not lead: start from the database.
            platform.monitoring.forgetMemory()
            held.withLock { $0 = epoch }
            logger.notice("leading", metadata: ["node": "\(nodeId)", "epoch": "\(epoch)"])
            return epoch
        } catch {
            logger.warning("could not take the lead", metadata: ["error": "\(loggedError(error))"])
            await lock.release()
            return nil
        }
    }

    private func lose(_ epoch: Int64, logger: Logger) -> Int64? {
        held.withLock { $0 = nil }
        logger.warning("lost the lead", metadata: ["node": "\(nodeId)", "epoch": "\(epoch)"])
        return nil
    }

    /// Lets the lease go (graceful shutdown): another node leads within its next round.
    public func resign() async {
        held.withLock { $0 = nil }
        await lock.release()
    }
}
