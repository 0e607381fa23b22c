import ChengyunCore
import SQLKit
import Synchronization

extension MonitoringHub {
    /// `judged` on PostgreSQL. The transaction begins and takes the route's shared lock before the
    /// gate (so no turn in the gate waits for a lock a turn queued behind it holds); the batch is
    /// judged in the gate, joins the chain and lets go, and the next batch is judged while this
    /// one writes. It writes its readings once the turn before has written its own (so that turn
    /// never waits in the database for this one's rows), then waits at `inOrder` for the turn
    /// before to finish: when that committed, it writes the rest and commits; when that failed,
    /// what this batch was judged on never happened, so it rolls back and the caller takes a
    /// whole turn on a memory loaded afresh (nil), as every batch judged after it does too.
    func pipelined<J, T>(
        _ platform: Platform, _ actor: Principal, _ action: String, target: String,
        summary: (T) -> (id: String, text: String),
        judge: (MonitoringMemory) -> J?, store: (any SQLDatabase, J, () async throws -> Void) async throws -> T
    ) async throws -> T? {
        do {
            return try await chained { ticket in
                try await counted { () async throws -> T? in
                    try await platform.pool.transaction { db -> T? in
                        try await RecentReadings().hold(.shared, on: db)
                        let pass = await gate.enter()
                        defer { pass.leave() }
                        guard ready(pass.memory, platform), let judged = judge(pass.memory) else { return nil }
                        let place = ticket.join()
                        pass.leave()
                        await place.previous?.written()
                        let now = platform.now()
                        return try await platform.audited(
                            actor, action, target: target, summary: summary, at: now, on: db
                        ) {
                            try await store(db, judged) {
                                place.mine.markWritten()
                                if let previous = place.previous, await !previous.committed() { throw Spoiled() }
                            }
                        }
                    }
                }
            }
        } catch is Spoiled {
            return nil
        }
    }
}
