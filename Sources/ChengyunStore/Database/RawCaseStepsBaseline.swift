import ChengyunCore
import Foundation

/// The yardstick for case transitions (`chengyun bench cases`): the writes one step makes, by
/// hand, on the platform's own file after its run — same tables, rows and indexes, the same
/// C-level handle (`SQLiteHandle`), pragmas and checkpointer — with nothing else: no HTTP, no
/// session, role, scope or state check, no stage clock. Each step reads the case, updates the
/// columns the step changes (with the revision check), appends its history line, reads the
/// subscriptions to cases it is offered to, reads the audit head and appends the hash-chained audit entry (the real SHA-256 chain) and moves the
/// head; `groupSize` steps share a commit, the group size the platform's group commit reached.
public enum RawCaseStepsBaseline {
    /// Runs `steps` steps round robin over `caseIds` (cases in handling; each alternately asks
    /// for more time and has it declined) and returns steps per second.
    public static func run(path: String, caseIds: [String], steps: Int, groupSize: Int) async throws -> Double {
        try await HandWrittenSQLite.run(path: path) { handle in
            try steadySteps(handle, caseIds: caseIds, steps: steps, groupSize: max(1, groupSize))
        }
    }

    private static func steadySteps(_ handle: SQLiteHandle, caseIds: [String], steps: Int, groupSize: Int) throws
        -> Double
    {
        guard !caseIds.isEmpty else { return 0 }
        let start = ContinuousClock.now
        var done = 0
        while done < steps {
            try handle.query("BEGIN IMMEDIATE", []) { _ in }
            for index in done..<min(steps, done + groupSize) {
                try step(handle, caseId: caseIds[index % caseIds.count], at: EpochMillis.now())
            }
            try handle.query("COMMIT", []) { _ in }
            done = min(steps, done + groupSize)
        }
        return Double(steps) / (ContinuousClock.now - start).seconds
    }

    private static func step(_ handle: SQLiteHandle, caseId: String, at now: Int64) throws {
        var revision = 0, pending: String?
        try handle.query("SELECT * FROM cases WHERE id = ?", [.text(caseId)]) { row in
            if case .integer(let value) = row.value("revision") { revision = value }
            if case .text(let value) = row.value("pending_request") { pending = value }
        }
        let asking = pending == nil
        try handle.query(
            "UPDATE cases SET pending_request = ?, updated_at = ?, revision = ? WHERE id = ? AND revision = ?",
            [
                asking ? .text("extension") : .null, .integer(Int(now)), .integer(revision + 1), .text(caseId),
                .integer(revision),
            ]
        ) { _ in }
        let action = asking ? "requestExtension" : "denyExtension"
        try handle.query(
            """
            INSERT INTO case_events (case_id, seq, at, actor_kind, actor_id, actor_name, action, from_state, to_state, note, attachments, detail)
            VALUES (?, ?, ?, 'staff', 'baseline', 'baseline', ?, 'handling', 'handling', NULL, '[]', NULL)
            """, [.text(caseId), .integer(revision + 1), .integer(Int(now)), .text(action)]
        ) { _ in }
        // The step is offered to the subscriptions to cases (none in the bench), as the platform's is.
        try handle.query(
            "SELECT * FROM subscriptions WHERE topic IN (?) AND state = ?", [.text("case"), .text("active")]
        ) { _ in }
        var lastSeq: Int64 = 0, lastHash = ""
        try handle.query("SELECT last_seq, last_hash FROM audit_head WHERE id = 1", []) { row in
            if case .integer(let value) = row.values[0] { lastSeq = Int64(value) }
            if case .text(let value) = row.values[1] { lastHash = value }
        }
        let entry = AuditEntry(
            seq: lastSeq + 1, id: Identifier.make(at: now), at: now, actorKind: "staff", actorId: "baseline",
            actorName: "baseline", action: "case.\(action)", targetType: "case", targetId: caseId,
            summary: "\(caseId) → handling", prevHash: lastHash)
        try handle.query(
            """
            INSERT INTO audit_log (seq, id, at, actor_kind, actor_id, actor_name, action, target_type, target_id, summary, prev_hash, hash, key_id)
            VALUES (?, ?, ?, 'staff', 'baseline', 'baseline', ?, 'case', ?, ?, ?, ?, NULL)
            """,
            [
                .integer(Int(entry.seq)), .text(entry.id), .integer(Int(now)), .text(entry.action), .text(caseId),
                .text(entry.summary),
                .text(lastHash), .text(entry.hash),
            ]
        ) { _ in }
        try handle.query(
            "UPDATE audit_head SET last_seq = ?, last_hash = ? WHERE id = 1",
            [.integer(Int(entry.seq)), .text(entry.hash)]
        ) { _ in }
    }
}

extension Duration {
    /// In seconds, as a floating-point number.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
