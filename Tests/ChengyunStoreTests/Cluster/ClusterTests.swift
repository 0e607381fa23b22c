import ChengyunCore
@testable import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// Several nodes on one database, each a `Platform` with its own pool: who leads, the fence that
/// stops a leader that lost its lease, tick claims that run a round once, and the event outbox
/// that carries one node's changes to another node's streams.
@Suite(.timeLimit(.minutes(5))) struct ClusterTests {
    @Test(arguments: TestBackend.available) func theLeaseMovesAndTheFenceStopsTheOldLeader(backend: TestBackend)
        async throws
    {
        // The clock stands still: on a loaded machine a heartbeat could otherwise be seconds old
        // (not alive) by the time the status is read.
        try await withTwoNodes(backend, clock: TestClock(EpochMillis.now())) { a, b in
            let first = try #require(await a.cluster.step(a, logger: quietLogger))
            #expect(a.cluster.isLeader)
            #expect(await a.cluster.step(a, logger: quietLogger) == first, "it keeps the lead, under the same epoch")
            // a claims two rounds of a job and finishes one of them before it loses the lead.
            #expect(try await a.clusterService.claim(job: "k", tick: 5) == first)
            #expect(try await a.clusterService.claim(job: "k", tick: 6) == first)
            try await a.clusterService.done(job: "k", tick: 6, epoch: first)
            #expect(try await a.clusterService.claim(job: "k", tick: 5) == nil, "claimed already")
            if backend == .postgres {
                #expect(await b.cluster.step(b, logger: quietLogger) == nil, "the lease is held")
                #expect(try await b.clusterService.claim(job: "j", tick: 1) == nil, "only the leader claims")
                // The old leader's session is ended under it (a partition, say); it has not noticed.
                try await endLeaseSessions(a)
            }
            let second = try #require(await b.cluster.step(b, logger: quietLogger))
            #expect(second == first + 1)
            #expect(a.cluster.epoch == first, "a still believes it leads")
            // Its singleton writes are refused, in their own transaction.
            await #expect(throws: FencedOut.self) {
                try await a.fenced().pool.transaction { try await $0.raw("SELECT 1").run() }
            }
            #expect(try await a.clusterService.claim(job: "j", tick: 1) == nil, "nor can it claim a tick")
            #expect(try await b.clusterService.claim(job: "j", tick: 1) == second)
            #expect(try await b.clusterService.claim(job: "k", tick: 5) == second, "the unfinished round is run again")
            #expect(try await b.clusterService.claim(job: "k", tick: 6) == nil, "the finished one is not")
            try await b.fenced().pool.transaction { try await $0.raw("SELECT 1").run() }
            #expect(await a.cluster.step(a, logger: quietLogger) == nil, "it notices at its next round")
            #expect(!a.cluster.isLeader)
            try await a.clusterService.heartbeat(address: "a:1", startedAt: 1, ready: true)
            try await b.clusterService.heartbeat(address: "b:1", startedAt: 2, ready: true)
            try await b.clusterService.heartbeat(address: "b:2", startedAt: 2, ready: false)
            let status = try await b.clusterService.status()
            #expect(status.leader?.nodeId == b.cluster.nodeId && status.leader?.epoch == second)
            #expect(status.nodes.map(\.node.address) == ["a:1", "b:2"] && status.nodes.allSatisfy(\.alive))
            #expect(status.nodes.map(\.leader) == [false, true] && status.nodes.map(\.node.ready) == [true, false])
            try await a.clusterService.leave()
            #expect(try await b.clusterService.status().nodes.map(\.node.address) == ["b:2"])
            // Handing the lead back lets the other node take it at its next round.
            await b.cluster.resign()
            #expect(try await a.cluster.step(a, logger: quietLogger) == second + 1)
        }
    }

    @Test(arguments: TestBackend.available) func eachTickIsClaimedOnce(backend: TestBackend) async throws {
        try await withTwoNodes(backend) { a, _ in
            _ = try #require(await a.cluster.step(a, logger: quietLogger))
            let service = a.clusterService
            try await confirmation(expectedCount: 50) { ran in
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    for tick in 0..<50 {
                        for _ in 0..<3 {
                            group.addTask { try await service.claim(job: "probe", tick: Int64(tick)) != nil }
                        }
                    }
                    for try await claimed in group where claimed { ran() }
                }
            }
            #expect(try await service.claim(job: "other", tick: 0) != nil, "each job has its own ticks")
        }
    }

    @Test(arguments: TestBackend.available) func eventsReachEveryNodeInTheirTransactionsOrder(backend: TestBackend)
        async throws
    {
        try await withTwoNodes(backend) { a, b in
            let f = try await CaseFixture.make(a)
            let admin = f.staff(.admin)
            let device = try await a.devices.register(
                NewDevice(
                    code: "ENV-C", kindCode: "environment", name: "集群环境站", lon: CaseFixture.pointA.lon,
                    lat: CaseFixture.pointA.lat), by: .system)
            // b's streams: one for the city, one for a street the device is not in.
            let city = try await b.monitoring.events.subscribe(scopePath: "/")
            let elsewhere = try await b.monitoring.events.subscribe(scopePath: f.streetB.path)
            let disarmed = try await a.devices.disarm(
                id: device.id, DisarmInput(until: a.now() + 3_600_000, reason: "检修"), by: admin)
            #expect(disarmed.state == .maintenance)
            // Another node learns of it by NOTIFY or its poll; here the poll is done by hand.
            b.monitoring.events.wake()
            var iterator = city.makeAsyncIterator()
            let first = try #require(await iterator.next())
            guard case .device(let change) = first.event else {
                Issue.record("expected the device event")
                return
            }
            #expect(change.deviceId == device.id && change.state == .maintenance)
            _ = try await a.devices.rearm(id: device.id, by: admin)
            b.monitoring.events.wake()
            let second = try #require(await iterator.next())
            #expect(second.seq > first.seq)
            #expect(b.monitoring.events.position == second.seq)

            // A stream resuming after the first event gets the second first, then what is new.
            let resumed = try await b.monitoring.events.subscribe(scopePath: "/", after: first.seq)
            var again = resumed.makeAsyncIterator()
            #expect(await again.next()?.seq == second.seq)
            // Nothing reached the other street's stream.
            _ = try await a.devices.disarm(id: device.id, DisarmInput(until: a.now() + 60_000, reason: "再检"), by: admin)
            b.monitoring.events.wake()
            let third = try #require(await iterator.next())
            #expect(await again.next()?.seq == third.seq)
            var other = elsewhere.makeAsyncIterator()
            let nothing = Task { await other.next() }
            try await Task.sleep(for: .milliseconds(200))
            nothing.cancel()
            #expect(await nothing.value == nil)
        }
    }

    @Test(arguments: TestBackend.available) func aRuleMadeOnOneNodeIsJudgedOnAnother(backend: TestBackend) async throws
    {
        try await withTwoNodes(backend) { a, b in
            let f = try await CaseFixture.make(a)
            try await b.monitoring.events.follow()
            _ = try await a.devices.register(
                NewDevice(
                    code: "ENV-E", kindCode: "environment", name: "二氧化硫站", lon: CaseFixture.pointA.lon,
                    lat: CaseFixture.pointA.lat), by: .system)
            let key = Principal(
                kind: .key, id: "key-gateway", name: "gateway", keyScopes: [.telemetryWrite],
                scope: AreaScope(areaId: "", path: "/"))
            let t0 = a.now() - 600_000
            func reading(_ minute: Int64, _ so2: Double) -> IncomingReading {
                IncomingReading(line: 1, device: "ENV-E", at: t0 + minute * 60_000, values: [("so2", so2)])
            }
            // b judges this device with the rules it loaded: none watches SO2 yet.
            #expect(try await b.telemetry.ingest([reading(0, 80)], by: key).alarms == 0)
            _ = try await a.alarmRules.create(
                AlarmRuleInput(
                    name: "SO2", kindCode: "environment",
                    condition: .threshold(.init(metric: "so2", levels: [.init(50, .yellow)])), severity: .yellow),
                by: f.staff(.admin))
            // b hears of it through the outbox (by NOTIFY, or its poll, done here by hand).
            b.monitoring.events.wake()
            var judged = 0
            for minute in Int64(1)...20 where judged == 0 {
                try await Task.sleep(for: .milliseconds(50))
                judged = try await b.telemetry.ingest([reading(minute, 80 + Double(minute))], by: key).alarms
            }
            #expect(judged == 1, "b raised the alarm of the rule made on a")
        }
    }

    @Test(arguments: TestBackend.available) func aRolledBackChangeLeavesNoEvent(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let alarm = Alarm(
                id: "A1", ruleId: "R1", ruleName: "PM2.5", deviceId: "D1", deviceCode: "ENV-1",
                kindCode: "environment", areaPath: "/320500/", lon: 120.6, lat: 31.3, severity: .red, state: .raised,
                detail: "PM2.5 300", metric: "pm25", value: 300, raisedAt: 1, updatedAt: 1)
            let stream = try await platform.monitoring.events.subscribe(scopePath: "/")
            // The event is written, then the transaction fails: nobody hears of it.
            await #expect(throws: Refused.self) {
                try await platform.pool.transaction { db in
                    _ = try await EventOutbox().append([.alarm(alarm)], at: 1, on: db)
                    throw Refused()
                }
            }
            // One that commits is heard, alone.
            try await platform.pool.transaction { db in
                var cleared = alarm
                cleared.state = .cleared
                _ = try await EventOutbox().append([.alarm(cleared)], at: 2, on: db)
            }
            platform.monitoring.events.wake()
            var iterator = stream.makeAsyncIterator()
            let first = try #require(await iterator.next())
            guard case .alarm(let heard) = first.event else {
                Issue.record("expected the alarm")
                return
            }
            #expect(heard.state == .cleared)
            let nothing = Task { await iterator.next() }
            try await Task.sleep(for: .milliseconds(200))
            nothing.cancel()
            #expect(await nothing.value == nil)
        }
    }

    private struct Refused: Error {}

    // MARK: Steps

    /// Two nodes: two platforms, each with its own pool, on one fresh database.
    /// Ends the session holding `platform`'s lease, as PostgreSQL does when a node's connection is lost.
    private func endLeaseSessions(_ platform: Platform) async throws {
        let key = UInt64(bitPattern: try #require((platform.pool as? PostgresDatabasePool)?.leaseKey))
        try await platform.pool.read { db in
            try await db.raw(
                """
                SELECT pg_terminate_backend(pid) FROM pg_locks
                WHERE locktype = 'advisory' AND objsubid = 1 AND granted
                  AND classid::bigint = \(bind: Int64(key >> 32)) AND objid::bigint = \(bind: Int64(key & 0xffff_ffff))
                """
            ).run()
        }
    }
}
