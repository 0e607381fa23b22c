import ChengyunCore
import Foundation
import SQLKit

/// How long telemetry is kept, and what times are believable.
public struct TelemetrySettings: Sendable {
    /// Raw readings older than this are folded into hourly rollups.
    public var rawRetentionDays = 180
    /// Rollups older than this are deleted; nil keeps them for ever.
    public var rollupRetentionDays: Int? = nil
    /// Readings stamped further ahead of the server's clock than this are refused.
    public var futureToleranceMillis: Int64 = 10 * 60_000
    /// A fold (`foldReadings`) is due when this many readings wait in `readings_recent`…
    /// Large folds are cheaper per reading: a window writes each series' newest page of
    /// `readings` once, whether it brings that series 10 rows or 50 (see BENCHMARKS.md).
    public var foldRows = 2_000_000
    /// …or this long after the last one, if any wait.
    public var foldEveryMillis: Int64 = 5 * 60_000
    /// The newest readings stay behind a fold, so devices a little late still land on the recent side.
    public var foldLagMillis: Int64 = 5_000
    /// Rows a fold moves at once (one window read into memory), and a write turn of it (SQLite).
    public var foldWindowRows = 2_000_000
    public var foldSliceRows = 10_000
    public init() {}
}

/// Telemetry ingest (docs/domain.md §7): each batch's good readings are stored, judged by the rules and
/// turned into alarms in one transaction — when this returns, they are durable.
public struct TelemetryService: Sendable {
    let platform: Platform
    let telemetry = TelemetryRepository()
    /// Alarms whose rule names a matter open cases through it.
    var alarmCases: AlarmCases { AlarmCases(platform: platform) }

    /// Oldest believable reading: 2000-01-01.
    static let earliest: Int64 = 946_684_800_000

    public func ingest(_ batch: [IncomingReading], by actor: Principal) async throws -> IngestReport {
        try await ingest(batch, by: actor, queued: [])
    }

    /// A batch, or rows of the queue (`queued`) for this node's shards. A batch that finds one of
    /// its shards gone to another node meanwhile (the fence) is taken again: those lines are queued.
    func ingest(_ batch: [IncomingReading], by actor: Principal, queued: [Int64]) async throws -> IngestReport {
        try await fenced(retry: queued.isEmpty) { try await ingestOnce(batch, by: actor, queued: queued) }
    }

    /// Whether a turn that read `held` judges a shard (every one outside a cluster).
    static func owns(_ held: [Int: Int64]?) -> (Int) -> Bool {
        { shard in held.map { $0[shard] != nil } ?? true }
    }

    /// A write for this node's shards, run again (up to twice) when its fence finds some of them
    /// gone to another node: those are dropped here first, so the next try leaves them alone. Run
    /// again too when an alarm it changes was changed meanwhile on another node (the failed turn
    /// made the memory load afresh).
    private func fenced<T>(retry: Bool = true, _ body: () async throws -> T) async throws -> T {
        try await AlarmChangedMeanwhile.retrying(body) { error, attempt in
            guard retry, attempt < 2, let fenced = error as? ShardFencedOut else { return false }
            platform.shards.drop(fenced.shards)
            return true
        }
    }

    private func ingestOnce(_ batch: [IncomingReading], by actor: Principal, queued: [Int64]) async throws
        -> IngestReport
    {
        let now = platform.now()
        let future = platform.settings.telemetry.futureToleranceMillis
        let hub = platform.monitoring
        let shards = platform.shards
        // Read here, on the caller's task (a queued body may run on another).
        let trace = TelemetryInbox.currentTrace()
        let summary = { (o: TurnOutcome<IngestReport>) in
            (
                actor.id,
                "\(o.value.accepted) values, \(o.value.duplicates) repeated, \(o.value.rejectedCount) refused, \(o.value.alarms) alarm changes"
                    + (o.value.forwarded > 0 ? ", \(o.value.forwarded) queued for other nodes" : "")
            )
        }
        // Judged off the writer where it can be (SQLite)…
        let judged = try await hub.judged(
            platform, actor, "telemetry.ingest", target: "telemetry", summary: summary,
            judge: { memory -> IngestJudgement? in
                // The shards judged here, read once in the gate: this turn's owners and fence.
                let held = shards.held
                let work = IngestWork(
                    resolving: batch, by: actor, memory: memory, now: now, future: future, owns: Self.owns(held))
                // An unknown device may have been registered by another process: a whole turn looks.
                guard !work.report.rejected.contains(where: { $0.code == .unknownDevice }) else {
                    work.forgetNewSeries()
                    return nil
                }
                return IngestJudgement(
                    work, by: actor, memory: memory, now: now, held: held, node: shards.nodeId, queued: queued,
                    trace: trace)
            }, store: { db, judgement, inOrder in try await judgement.store(on: db, inOrder: inOrder) })
        // …else a whole turn in the transaction.
        let outcome =
            if let judged { judged } else {
                try await hub.write(
                    platform, actor, "telemetry.ingest", target: "telemetry", route: .shared, summary: summary
                ) {
                    db, memory in
                    let held = shards.held
                    var work = IngestWork(
                        resolving: batch, by: actor, memory: memory, now: now, future: future, owns: Self.owns(held))
                    // Devices registered by another process (the CLI importing while the server runs):
                    // a few of the unknown codes are looked up, and when one exists the directory is
                    // reloaded and the batch read again.
                    let unknown = Set(
                        work.report.rejected.lazy.filter { $0.code == .unknownDevice }.compactMap(\.device).prefix(10)
                    )
                    // A queued row was checked by the node that took it: a refusal here may be this
                    // memory's directory lagging behind (a key just bound, a metric just added).
                    var reload = !queued.isEmpty && !work.report.rejected.isEmpty
                    for code in unknown where !reload {
                        reload = try await DeviceRepository().find(code: code, on: db) != nil
                    }
                    if reload {
                        work.forgetNewSeries()
                        try await memory.load(on: db)
                        work = IngestWork(
                            resolving: batch, by: actor, memory: memory, now: now, future: future,
                            owns: Self.owns(held))
                    }
                    return try await IngestJudgement(
                        work, by: actor, memory: memory, now: now, held: held, node: shards.nodeId, queued: queued,
                        trace: trace
                    ).store(on: db)
                }
            }
        platform.monitoring.staged.withLock { $0 += outcome.staged }
        platform.monitoring.events.committed(outcome.events)
        await alarmCases.open(for: outcome.casesToOpen)
        return outcome.value
    }

    /// Judges the no-data rules at `now` (the clock service calls this every minute; a replay
    /// calls it with the replayed time) and ends disarm windows that ran out.
    @discardableResult
    public func checkSilence(now: Int64) async throws -> Int {
        try await fenced { try await checkSilenceOnce(now: now) }
    }

    private func checkSilenceOnce(now: Int64) async throws -> Int {
        let wall = platform.now()
        let shards = platform.shards
        let outcome = try await platform.monitoring.transaction(platform) { db, memory -> TurnOutcome<Int> in
            // In a cluster: this node's shards only, under their fence.
            let held = shards.held
            if let held { try await ShardRepository().check(held, node: shards.nodeId, on: db) }
            var book = AlarmBook(open: memory.openAlarms, now: wall)
            var changes = DeviceChanges()
            for device in memory.devicesByCode.values
            where held.map({ $0[RuleShards.shard(ofDevice: device.code)] != nil }) ?? true {
                if let until = device.disarmedUntil, until <= wall {
                    changes.rearm(device, lastReadingAt: memory.engine.devices[device.id]?.lastReadingAt)
                }
                let rules = memory.rules(for: device).filter(\.condition.watchesSilence)
                guard !rules.isEmpty else { continue }
                for firing in memory.engine.silence(deviceId: device.id, now: now, rules: rules) {
                    book.apply(firing, device: device, kind: memory.kinds[device.kindCode])
                }
            }
            for id in book.wentOffline { changes.offline(memory.device(id: id)) }
            try await AlarmRuleRepository().saveStates(memory.engine.unsavedStates, on: db)
            try await book.save(on: db)
            try await changes.save(on: db, at: wall)
            if !book.changed.isEmpty {
                try await platform.auditLog.append(
                    .init(
                        actor: .system, action: "alarm.no_data", targetType: "alarm", targetId: book.changed[0].id,
                        summary: "\(book.changed.count) no-data alarm changes"), at: wall, on: db)
            }
            let events = changes.apply(to: memory, at: wall) + book.events
            let published = try await EventOutbox().append(events, at: wall, on: db)
            memory.engine.markSaved()
            memory.openAlarms = book.open
            return TurnOutcome(
                value: book.changed.count, events: published, casesToOpen: book.inserted.filter { $0.state == .raised })
        }
        platform.monitoring.events.committed(outcome.events)
        await alarmCases.open(for: outcome.casesToOpen)
        return outcome.value
    }

    /// Writes the devices' newest reading times (kept in memory between flushes; the clock
    /// service flushes every minute and at shutdown, reads overlay what is not flushed yet).
    public func flushLastReadings() async throws {
        let pending = platform.monitoring.takeUnflushed()
        guard !pending.isEmpty else { return }
        do {
            try await platform.pool.transaction { db in try await DeviceRepository().noteLastReadings(pending, on: db) }
        } catch {
            platform.monitoring.returnUnflushed(pending)
            throw error
        }
    }

    /// Folds raw readings past their retention into hourly rollups (the clock service calls this hourly).
    @discardableResult
    public func applyRetention() async throws -> Int {
        let settings = platform.settings.telemetry
        let day: Int64 = 86_400_000
        let now = platform.now()
        let cutoff = now - Int64(settings.rawRetentionDays) * day
        // What is to be rolled up must be on the folded side first.
        if try await platform.pool.read({ try await RecentReadings().state(on: $0).folded }) < cutoff {
            try await foldReadings(upTo: cutoff)
        }
        let dropRollupsBefore = settings.rollupRetentionDays.map { now - Int64($0) * day }
        guard platform.pool.backend == .postgres else {
            return try await telemetry.rollUp(before: cutoff, dropRollupsBefore: dropRollupsBefore, pool: platform.pool)
        }
        let rolledUp = try await maintainPartitions(now: now, cutoff: cutoff)
        try await telemetry.dropRollups(before: dropRollupsBefore, pool: platform.pool)
        return rolledUp
    }

    /// PostgreSQL (`ReadingPartitionPlan`): the coming days' partitions made; each partition past
    /// the cutoff detached, rolled up and dropped; the default partition's readings before the
    /// cutoff rolled up row by row (and the legacy partition's, while it straddles the cutoff).
    /// One step failing (a lock not had in five seconds, say) does not stop the others: the round
    /// does the rest and then reports the first failure. Returns the readings rolled up.
    func maintainPartitions(now: Int64, cutoff: Int64) async throws -> Int {
        let partitions = ReadingPartitions()
        let pool = platform.pool
        let listing = try await pool.read { try await partitions.list(on: $0) }
        let plan = ReadingPartitionPlan(existing: listing.attached, now: now, cutoff: cutoff, daysAhead: 2)
        var failures: [any Error] = []
        func attempt<T>(_ work: () async throws -> T) async -> T? {
            do { return try await work() } catch {
                failures.append(error)
                return nil
            }
        }
        for day in plan.create {
            await attempt { try await pool.transaction { try await partitions.create(day: day, on: $0) } }
        }
        var detached = listing.detached
        for name in plan.drop
        where await attempt({ try await pool.transaction { try await partitions.detach(name, on: $0) } }) != nil {
            detached.append(name)
        }
        var rolledUp = 0
        for name in Set(detached).sorted() {
            rolledUp +=
                await attempt { try await pool.transaction { try await partitions.rollUpAndDrop(name, on: $0) } } ?? 0
        }
        let rowByRow =
            ["readings_default"]
            + (listing.attached["readings_legacy"] != nil && !plan.drop.contains("readings_legacy")
                ? ["readings_legacy"] : [])
        for table in rowByRow {
            rolledUp +=
                await attempt {
                    try await pool.transaction { try await partitions.rollUpRows(of: table, before: cutoff, on: $0) }
                } ?? 0
        }
        if let first = failures.first { throw first }
        return rolledUp
    }

}

extension Device {
    func stateChange(at now: Int64) -> DeviceStateChange {
        DeviceStateChange(
            deviceId: id, code: code, kindCode: kindCode, areaPath: areaPath, lon: lon, lat: lat, state: state, at: now)
    }
}
