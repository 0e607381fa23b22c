import ChengyunCore
import Foundation
import SQLKit

extension RawCaseStepsBaseline {
    /// PostgreSQL: the same step by hand through SQLKit, one transaction a step, `connections`
    /// workers at once over `pools` (a node's each, at most 16 connections a pool, the workers
    /// taking the pools in turn), each on its own share of the cases so no two steps race for
    /// one case; the audit head is locked for update, as the platform does.
    /// Returns steps per second.
    public static func run(pools: [any DatabasePool], caseIds: [String], steps: Int, connections: Int) async throws
        -> Double
    {
        let workers = max(1, min(16 * pools.count, connections, caseIds.count))
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                let mine = stride(from: worker, to: caseIds.count, by: workers).map { caseIds[$0] }
                let count = steps / workers + (worker < steps % workers ? 1 : 0)
                let pool = pools[worker % pools.count]
                group.addTask {
                    for index in 0..<count {
                        try await pool.transaction { db in
                            try await step(db, caseId: mine[index % mine.count], at: EpochMillis.now())
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        return Double(steps) / (ContinuousClock.now - start).seconds
    }

    private static func step(_ db: any SQLDatabase, caseId: String, at now: Int64) async throws {
        guard
            let row = try await db.raw("SELECT revision, pending_request FROM cases WHERE id = \(bind: caseId)").first()
        else { return }
        let revision = try row.decode(column: "revision", as: Int.self)
        let asking = try row.decode(column: "pending_request", as: String?.self) == nil
        try await db.raw(
            """
            UPDATE cases SET pending_request = \(bind: asking ? "extension" : nil), updated_at = \(bind: now),
                   revision = \(bind: revision + 1)
            WHERE id = \(bind: caseId) AND revision = \(bind: revision)
            """
        ).run()
        let action = asking ? "requestExtension" : "denyExtension"
        try await db.raw(
            """
            INSERT INTO case_events (case_id, seq, at, actor_kind, actor_id, actor_name, action, from_state, to_state, note, attachments, detail)
            VALUES (\(bind: caseId), \(bind: revision + 1), \(bind: now), 'staff', 'baseline', 'baseline', \(bind: action),
                    'handling', 'handling', NULL, '[]', NULL)
            """
        ).run()
        // The step is offered to the subscriptions to cases (none in the bench), as the platform's is.
        _ = try await db.raw("SELECT * FROM subscriptions WHERE topic IN ('case') AND state = 'active'").all()
        let head = try await db.raw("SELECT last_seq, last_hash FROM audit_head WHERE id = 1 FOR UPDATE").first()
        let lastSeq = try head?.decode(column: "last_seq", as: Int64.self) ?? 0
        let lastHash = try head?.decode(column: "last_hash", as: String.self) ?? ""
        let entry = AuditEntry(
            seq: lastSeq + 1, id: Identifier.make(at: now), at: now, actorKind: "staff", actorId: "baseline",
            actorName: "baseline", action: "case.\(action)", targetType: "case", targetId: caseId,
            summary: "\(caseId) → handling", prevHash: lastHash)
        try await db.raw(
            """
            INSERT INTO audit_log (seq, id, at, actor_kind, actor_id, actor_name, action, target_type, target_id, summary, prev_hash, hash, key_id)
            VALUES (\(bind: entry.seq), \(bind: entry.id), \(bind: now), 'staff', 'baseline', 'baseline', \(bind: entry.action),
                    'case', \(bind: caseId), \(bind: entry.summary), \(bind: lastHash), \(bind: entry.hash), NULL)
            """
        ).run()
        try await db.raw(
            "UPDATE audit_head SET last_seq = \(bind: entry.seq), last_hash = \(bind: entry.hash) WHERE id = 1"
        ).run()
    }
}
