import ChengyunCore
import SQLKit

/// A telemetry batch judged: its rows and new series, the rule states it changed, the alarms and
/// device changes it made — everything its write needs, worked out on the engine's memory (which
/// it brings up to date) before anything is written, so the write needs no memory at all and can
/// follow after the gate is let go (`MonitoringHub.judged`).
///
/// Repeats need not be known before the insert: the rules judge a reading only for values newer
/// than the engine has seen for their metric (`RuleEngine.judge`), and a stored reading is never
/// newer than that. The insert then tells repeats apart for the report.
struct IngestJudgement {
    private let rows: [(series: Int64, at: Int64, value: Double)]
    private let newSeries: [TelemetryRepository.Series]
    private let report: IngestReport
    private let route: Int64
    private let now: Int64
    private let states: [(RuleEngine.Key, ConditionState)]
    private let book: AlarmBook
    private let changes: DeviceChanges
    private let events: [MonitoringEvent]
    /// Lines for other nodes' shards, queued in the same transaction.
    private let forwarded: [Int: [IncomingReading]]
    private let forwardedValues: Int
    private let actor: Principal
    /// The shards judged here and the epochs they are held under (nil outside a cluster): the fence.
    private let fence: [Int: Int64]?
    private let node: String
    /// The queued rows this batch came from, taken off the queue in the same transaction.
    private let queued: [Int64]
    private let trace: [String: String]

    init(
        _ work: IngestWork, by actor: Principal, memory: MonitoringMemory, now: Int64, held: [Int: Int64]?,
        node: String, queued: [Int64] = [], trace: [String: String] = [:]
    ) {
        var book = AlarmBook(open: memory.openAlarms, now: now)
        var changes = DeviceChanges()
        for accepted in work.accepted {
            let device = accepted.device
            let values = accepted.metrics.indices.map {
                (metric: accepted.metrics[$0], value: work.rows[accepted.firstRow + $0].value)
            }
            let observation = Observation(at: accepted.at, values: values, position: accepted.position)
            // Nothing newer than what the engine has: a repeat or a late reading, no news of the device.
            guard let firings = memory.engine.judge(deviceId: device.id, observation, rules: memory.rules(for: device))
            else { continue }
            for firing in firings { book.apply(firing, device: device, kind: memory.kinds[device.kindCode]) }
            changes.reading(device, at: accepted.at, position: accepted.position)
        }
        for id in book.wentOffline { changes.offline(memory.device(id: id)) }
        (rows, newSeries, report, route, self.now) = (work.rows, work.newSeries, work.report, memory.route, now)
        states = memory.engine.unsavedStates
        memory.engine.markSaved()
        memory.openAlarms = book.open
        events = changes.apply(to: memory, at: now) + book.events
        self.book = book
        self.changes = changes
        (forwarded, forwardedValues, self.actor, self.queued) = (work.forwarded, work.forwardedValues, actor, queued)
        fence = held.map { held in held.filter { work.touched.contains($0.key) } }
        self.node = node
        self.trace = trace
    }

    /// Writes the batch: new series, readings, rule states, alarms, device changes. `inOrder` is
    /// called between what needs no order (the readings) and what does (`MonitoringHub.judged`).
    func store(on db: any SQLDatabase, inOrder: () async throws -> Void = {}) async throws -> TurnOutcome<IngestReport>
    {
        // Queued rows are judged by the node holding their shards or left for it, not queued again.
        if !queued.isEmpty && !forwarded.isEmpty { throw ShardFencedOut(shards: forwarded.keys.sorted()) }
        if !queued.isEmpty, try await TelemetryInbox().remove(seqs: queued, on: db) != queued.count {
            throw InboxEntryGone()
        }
        let telemetry = TelemetryRepository()
        if !newSeries.isEmpty { try await telemetry.insert(newSeries, on: db) }
        let rows = self.rows
        // PostgreSQL: another node's fold may move the route; it waits for this write (RecentReadings).
        let route = try await RecentReadings().routeForWrite(memory: self.route, on: db)
        let (accepted, recent) = try await telemetry.insertReadings(
            count: rows.count, row: { rows[$0] }, route: route, on: db)
        try await TelemetryInbox().append(forwarded, actor: actor, trace: trace, at: now, on: db)
        try await inOrder()
        // The shards' locks are taken here, in order: a turn waiting at `inOrder` holds none that
        // a move of a shard could be queued behind.
        if let fence { try await ShardRepository().check(fence, node: node, on: db) }
        var report = self.report
        report.accepted = accepted + forwardedValues
        report.forwarded = forwardedValues
        report.duplicates = rows.count - accepted
        report.alarms = book.changed.count
        try await AlarmRuleRepository().saveStates(states, on: db)
        try await book.save(on: db)
        try await changes.save(on: db, at: now)
        let published = try await EventOutbox().append(events, at: now, on: db)
        return TurnOutcome(
            value: report, events: published, casesToOpen: book.inserted.filter { $0.state == .raised }, staged: recent)
    }
}
