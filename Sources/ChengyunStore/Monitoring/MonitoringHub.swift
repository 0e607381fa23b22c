import ChengyunCore
import SQLKit
import Synchronization

/// The monitoring engine's live memory and the gate in front of it. Telemetry batches, the
/// no-data clock and alarm handling take turns through the gate, so rule state and open alarms
/// change in one order, and their writes reach the database in the same order. A turn changes
/// the memory as it goes and lets go of the gate before its commit, so turns queued behind it
/// share one group commit (SQLite). Where the writer keeps the order of its queue (SQLite), a
/// turn enters the gate before it queues for the writer, and a telemetry batch is judged off the
/// writer's thread and lets go as soon as its write is queued (`judged`): the next batch is judged
/// while this one is written. On PostgreSQL turns keep their order by a chain (`TurnChain`), and
/// a telemetry batch lets go of the gate once judged, writing its readings while the next batch
/// is judged (`pipelined`). A turn that fails, or whose commit fails, sends the memory back to
/// the database for a fresh load. Everything here is rebuilt from the database on first use, so a
/// restart carries on where the last run stopped. In a cluster each node judges the devices of
/// the rule shards it holds (`ShardOwnership`) and queues the others' readings for their owners.
public final class MonitoringHub: Sendable {
    let gate: TurnGate
    let seen = SeenReadings()
    /// Devices or rules changed: reload them before the next turn.
    private let stale = Mutex(true)
    /// A failed commit: the engine's memory too, not only the directory.
    fileprivate let needsFullLoad = Mutex(false)
    /// Judged batches whose write failed (see `epoch`); on PostgreSQL, turns that failed.
    let failedWrites = Atomic(0)
    /// The order turns write in on PostgreSQL.
    let chain = TurnChain()
    public let events: MonitoringEvents
    /// Rows in `readings_recent`, about (counted at the first load, then by ingest and folds):
    /// what tells the fold it is due.
    let staged = Mutex(0)
    /// One fold at a time.
    let folding = ConnectionPool([FoldTurn()])
    /// Where the folds' time went (`foldTimes`).
    let foldClock = FoldClock()
    public var foldTimes: FoldTimes { foldClock.current }
    private let turns = Mutex(TurnLedger())
    /// A person changed an alarm (here or on another node): open alarms are read again.
    private let alarmsStale = Mutex(false)
    /// Readings may wait in the queue for this node's shards.
    private let inboxRung = Atomic(false)
    let shards: ShardOwnership

    init(pool: any DatabasePool, now: @escaping @Sendable () -> Int64, shards: ShardOwnership) {
        self.shards = shards
        gate = TurnGate(MonitoringMemory(seen: seen))
        events = MonitoringEvents(pool: pool, now: now)
        // Another node changed devices or rules: reload them before the next turn here too.
        events.onSignal.withLock {
            $0 = { [weak self] signal in
                switch signal {
                case .monitoringChanged: self?.invalidate()
                case .alarmsChanged: self?.alarmsStale.withLock { $0 = true }
                case .telemetryQueued: self?.ringInbox()
                }
            }
        }
    }

    func takeUnflushed() -> [String: Int64] { seen.take() }
    func returnUnflushed(_ taken: [String: Int64]) { seen.giveBack(taken) }

    /// A device's newest reading time, including readings not yet written to its row.
    public func lastReadingAt(_ device: Device) -> Int64? {
        guard let seen = seen.lastReadingAt(device.id) else { return device.lastReadingAt }
        return max(seen, device.lastReadingAt ?? seen)
    }

    func invalidate() { stale.withLock { $0 = true } }

    func ringInbox() { inboxRung.store(true, ordering: .releasing) }

    /// Failed tries of queued rows, by sequence number (this node's count).
    private let inboxFailures = Mutex<[Int64: Int]>([:])
    /// Counts a failed try of a queued row; returns the tries so far.
    func inboxFailure(_ seq: Int64) -> Int {
        inboxFailures.withLock { failures in
            if failures.count > 10_000 { failures = [:] }
            failures[seq, default: 0] += 1
            return failures[seq]!
        }
    }
    /// Whether readings were queued for this node's shards since the last look.
    public func takeInboxRing() -> Bool { inboxRung.exchange(false, ordering: .acquiringAndReleasing) }

    /// The whole memory is loaded again before the next turn (this node took the lead).
    func forgetMemory() { needsFullLoad.withLock { $0 = true } }

    /// Moves on whenever the memory may be ahead of the database: a judged batch failed to
    /// write, or a commit failed. Both are counted on the writer before the next write in its
    /// order runs, so a queued write can tell that what it was judged on is gone.
    func epoch(_ platform: Platform) -> Int {
        failedWrites.load(ordering: .acquiring) + platform.pool.failedCommits
    }

    /// Whether the memory can judge a batch without loading anything first.
    func ready(_ memory: MonitoringMemory, _ platform: Platform) -> Bool {
        memory.loaded && memory.epoch == epoch(platform) && !stale.withLock({ $0 })
            && !needsFullLoad.withLock({ $0 }) && !alarmsStale.withLock({ $0 })
    }

    /// A turn inside `platform.write` (with its audit entry). `route`: the lock on the readings'
    /// route a turn that writes readings or moves the route takes on PostgreSQL before it enters
    /// the gate (`RecentReadings.hold`).
    func write<T>(
        _ platform: Platform, _ actor: Principal, _ action: String, target: String, route: RouteHold = .none,
        summary: (T) -> (id: String, text: String),
        _ body: (any SQLDatabase, MonitoringMemory) async throws -> T
    ) async throws -> T {
        try await counted {
            try await gated(
                platform, route,
                { inner in try await platform.write(actor, action, target: target, summary: summary, inner) }, body)
        }
    }

    /// A turn inside a plain transaction (the caller audits what needs it).
    func transaction<T>(
        _ platform: Platform, route: RouteHold = .none, _ body: (any SQLDatabase, MonitoringMemory) async throws -> T
    ) async throws -> T {
        try await counted {
            try await gated(platform, route, { inner in try await platform.pool.transaction(inner) }, body)
        }
    }

    /// A turn in two parts: `judge` works on the memory (off the writer's thread where the writer
    /// keeps its order) and says what to write; `store` writes it with its audit entry, calling
    /// `inOrder` before it writes what depends on the memory (on PostgreSQL that waits for the
    /// turn before; `pipelined`). Nil when that cannot be done now (a memory to load first, or
    /// `judge` returned nil having changed nothing): the caller takes a whole turn (`write`).
    func judged<J, T>(
        _ platform: Platform, _ actor: Principal, _ action: String, target: String,
        summary: (T) -> (id: String, text: String),
        judge: (MonitoringMemory) -> J?, store: (any SQLDatabase, J, () async throws -> Void) async throws -> T
    ) async throws -> T? {
        guard platform.pool.ordersWrites else {
            return try await pipelined(
                platform, actor, action, target: target, summary: summary, judge: judge, store: store)
        }
        do {
            return try await counted { () async throws -> T? in
                let pass = await gate.enter()
                defer { pass.leave() }
                let memory = pass.memory
                let epoch = epoch(platform)
                guard ready(memory, platform), let judged = judge(memory) else { return nil }
                let now = platform.now()
                return try await platform.pool.transaction(queued: { pass.leave() }) { db in
                    guard self.epoch(platform) == epoch else { throw Spoiled() }
                    // Any failure of the member (its audit entry too) rolls it back: count it here,
                    // on the writer, before the next member runs.
                    do {
                        return try await platform.audited(
                            actor, action, target: target, summary: summary, at: now, on: db
                        ) { try await store(db, judged, {}) }
                    } catch {
                        failedWrites.add(1, ordering: .releasing)
                        throw error
                    }
                }
            }
        } catch is Spoiled {
            return nil
        }
    }

    /// What a judged batch throws when an earlier write failed after it was judged: nothing of it
    /// is written, and the batch is taken again as a whole turn on a freshly loaded memory.
    struct Spoiled: Error {}

    /// Runs a turn's body holding the gate. Where the writer keeps its order, the gate is entered
    /// before the transaction is queued (so turns reach the writer in gate order); elsewhere
    /// inside the transaction, after the route lock, and the turn joins the chain and waits for
    /// the turns before it to finish. Either way the gate is let go when the body is done, before
    /// the commit.
    private func gated<T>(
        _ platform: Platform, _ route: RouteHold, _ open: ((any SQLDatabase) async throws -> T) async throws -> T,
        _ body: (any SQLDatabase, MonitoringMemory) async throws -> T
    ) async throws -> T {
        // `body` only runs inside `open`, before this returns.
        try await withoutActuallyEscaping(body) { body in try await gated(platform, route, open, escaping: body) }
    }

    private func gated<T>(
        _ platform: Platform, _ route: RouteHold, _ open: ((any SQLDatabase) async throws -> T) async throws -> T,
        escaping body: @escaping (any SQLDatabase, MonitoringMemory) async throws -> T
    ) async throws -> T {
        if platform.pool.ordersWrites {
            let pass = await gate.enter()
            defer { pass.leave() }
            return try await open { db in
                defer { pass.leave() }
                return try await turn(platform, db, pass.memory, body)
            }
        }
        return try await chained { ticket in
            try await open { db in
                try await RecentReadings().hold(route, on: db)
                let pass = await gate.enter()
                defer { pass.leave() }
                let place = ticket.join()
                // This turn holds no lock the turns before it wait for (the route's is shared, or
                // was granted when none held it), and a reload must see what they wrote.
                _ = await place.previous?.committed()
                return try await turn(platform, db, pass.memory, body)
            }
        }
    }

    /// Runs a turn that joins the chain through its ticket (holding the gate, at most once), and
    /// finishes its link once the turn has committed or failed.
    func chained<T>(_ work: (ChainTicket) async throws -> T) async throws -> T {
        let ticket = ChainTicket(chain)
        do {
            let value = try await work(ticket)
            await finish(ticket.place, committed: true)
            return value
        } catch {
            await finish(ticket.place, committed: false)
            throw error
        }
    }

    /// A turn's place in the chain: the link before it and its own.
    typealias ChainPlace = (previous: TurnLink?, mine: TurnLink)

    /// Finishes a turn's link, after the link before it (so links finish in chain order). A turn
    /// that failed moves the epoch first: the memory it changed is loaded again before the next
    /// turn judges on it, and the turns already judged on it are judged again (`pipelined`).
    func finish(_ place: ChainPlace?, committed: Bool) async {
        guard let place else { return }
        if !committed { failedWrites.add(1, ordering: .releasing) }
        _ = await place.previous?.committed()
        place.mine.finish(committed: committed)
    }

    /// A turn from start to commit, counted in the generation it began in (see `drain`).
    func counted<T>(_ work: () async throws -> T) async throws -> T {
        let generation = turns.withLock { $0.begin() }
        defer { turns.withLock { $0.end(generation) } }
        return try await afterCommit(work)
    }

    /// Starts a new generation of turns (the fold does, in the turn that moves the route).
    func nextGeneration() { turns.withLock { $0.generation += 1 } }

    /// Waits until every turn of an earlier generation has committed or failed: the gate is let go
    /// before the commit, and on PostgreSQL commits need not finish in gate order. Cancelled, it
    /// throws rather than let the fold read past a turn still running (or spin until it ends).
    func drain() async throws {
        while turns.withLock({ $0.earlierRunning }) {
            try Task.checkCancellation()
            try? await Task.sleep(for: .milliseconds(1))
        }
    }

    private func turn<T>(
        _ platform: Platform, _ db: any SQLDatabase, _ memory: MonitoringMemory,
        _ body: (any SQLDatabase, MonitoringMemory) async throws -> T
    ) async throws -> T {
        do {
            if needsFullLoad.withLock({
                let was = $0; $0 = false; return was
            }) || memory.epoch != epoch(platform) {
                memory.forget()
            }
            if stale.withLock({
                let was = $0; $0 = false; return was
            }) || !memory.loaded {
                var taken: [Int: Int64] = [:]
                if !memory.loaded {
                    // Shards taken since the last load are judged from this load on.
                    taken = shards.pendingShards()
                    memory.epoch = epoch(platform)
                    try await platform.alarmRules.installMissingDefaults(on: db)
                    let count = try await RecentReadings().count(on: db)
                    staged.withLock { $0 = count }
                }
                try await memory.load(on: db)
                shards.activate(taken)
            }
            if alarmsStale.withLock({
                let was = $0; $0 = false; return was
            }), memory.loaded {
                try await memory.reloadOpenAlarms(on: db)
            }
            return try await body(db, memory)
        } catch {
            memory.forget()
            throw error
        }
    }

    /// A commit that failed after the turn changed the memory: reload before the next turn.
    private func afterCommit<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch {
            stale.withLock { $0 = true }
            needsFullLoad.withLock { $0 = true }
            throw error
        }
    }
}
