import ChengyunCore
@testable import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// Rules on every node: any node takes any device's readings, the node holding the device's shard
/// judges them (from the queue, once), and a node that stalled past its lease is fenced out — its
/// batch goes to the queue of the node that took the shard over. Nodes share a database on
/// PostgreSQL; a SQLite file's one server process judges every device.
@Suite(.timeLimit(.minutes(5))) struct RuleShardTests {
    static let t0: Int64 = 1_795_000_000_000
    static let minute: Int64 = 60_000
    static let clustered = TestBackend.available.filter { $0 == .postgres }

    @Test func aSQLiteProcessJudgesEveryDevice() async throws {
        try await withTwoNodes(.sqlite, clock: TestClock(Self.t0 + 60 * Self.minute)) { a, _ in
            _ = try await CaseFixture.make(a)
            try await a.clusterService.heartbeat(address: "a", startedAt: 1, ready: true)
            await a.shards.step(a, logger: quietLogger)
            #expect(!a.shards.isClustered && a.shards.claimed.isEmpty)
            for index in 0..<8 { try await register("ENV-\(index)", on: a) }
            let report = try await a.telemetry.ingest((0..<8).map { reading($0 + 1, "ENV-\($0)", 0, 80) }, by: key)
            #expect(report.accepted == 8 && report.forwarded == 0 && report.alarms == 8)
        }
    }

    @Test(arguments: clustered) func anyNodeTakesReadingsAndTheOwnerJudgesThemOnce(backend: TestBackend)
        async throws
    {
        let clock = TestClock(Self.t0 + 60 * Self.minute)
        try await withTwoNodes(backend, clock: clock) { a, b in
            _ = try await CaseFixture.make(a)
            try await join(a, b)
            let (onA, onB) = (try firstCode(held: a), try firstCode(held: b))
            for code in [onA, onB] { try await register(code, on: a) }
            // PM2.5 50 then 80 (blue) on a's device; 50, 80, 120 (yellow) on b's.
            let report = try await a.telemetry.ingest(
                [
                    reading(1, onA, 0, 50), reading(2, onB, 0, 50), reading(3, onA, 1, 80),
                    reading(4, onB, 1, 80), reading(5, onB, 2, 120), reading(6, "NOPE", 2, 1),
                ], by: key)
            #expect(report.accepted == 5 && report.forwarded == 3 && report.alarms == 1)
            #expect(report.rejected.map(\.line) == [6], "checked where it was taken")
            #expect(try await openAlarms(a, onB).isEmpty, "not judged before its owner takes it")
            #expect(try await a.telemetry.drainInbox() == 0, "a does not take b's queue")
            #expect(try await b.telemetry.drainInbox(stopping: { true }) == 0, "a node stopping leaves its queue")
            #expect(try await b.telemetry.drainInbox() == 1)
            let alarm = try #require(try await openAlarms(a, onB).first)
            #expect(alarm.severity == .yellow && alarm.raisedAt == Self.t0 + Self.minute)
            #expect(try await b.telemetry.drainInbox() == 0, "taken once")
            // The same lines again, through b: a's device queued for a, b's repeats judged at once.
            let again = try await b.telemetry.ingest(
                [reading(1, onA, 0, 50), reading(3, onA, 1, 80), reading(5, onB, 2, 120)], by: key)
            #expect(again.forwarded == 2 && again.duplicates == 1 && again.alarms == 0)
            #expect(try await a.telemetry.drainInbox() == 1)
            for code in [onA, onB] { #expect(try await allAlarms(a, code).count == 1, "raised once") }
            let stored = try await a.pool.read { try await $0.raw("SELECT COUNT(*) AS n FROM readings_recent").first() }
            #expect(try stored?.decode(column: "n", as: Int.self) == 5)
        }
    }

    @Test(arguments: clustered) func aStalledOwnerIsFencedOutAndItsBatchQueued(backend: TestBackend)
        async throws
    {
        let clock = TestClock(Self.t0 + 60 * Self.minute)
        try await withTwoNodes(backend, clock: clock) { a, b in
            _ = try await CaseFixture.make(a)
            try await a.clusterService.heartbeat(address: "a", startedAt: 1, ready: true)
            await a.shards.step(a, logger: quietLogger)
            #expect(a.shards.claimed == Array(0..<RuleShards.count), "alone, a holds every shard")
            try await register("ENV-X", on: a)
            #expect(try await a.telemetry.ingest([reading(1, "ENV-X", 0, 50)], by: key).forwarded == 0)
            // a stalls for ten seconds: its heartbeat and leases run out, and b takes every shard.
            clock.set(clock.now + 10_000)
            try await b.clusterService.heartbeat(address: "b", startedAt: 2, ready: true)
            await b.shards.step(b, logger: quietLogger)
            #expect(b.shards.claimed == Array(0..<RuleShards.count))
            // a wakes and takes a batch as if it still held the shard: the fence turns it to b's queue.
            let late = try await a.telemetry.ingest([reading(2, "ENV-X", 1, 80)], by: key)
            #expect(late.forwarded == 1 && late.alarms == 0)
            #expect(!a.shards.claimed.contains(RuleShards.shard(ofDevice: "ENV-X")))
            #expect(try await b.telemetry.drainInbox() == 1)
            let alarms = try await allAlarms(a, "ENV-X")
            #expect(alarms.count == 1 && alarms.first?.raisedAt == Self.t0 + Self.minute)
            // No data for three hours and more: b judges the silence (it holds the shard); a, whose
            // other shards b took too, is fenced out of all of them and judges nothing.
            clock.set(Self.t0 + 300 * Self.minute)
            #expect(try await a.telemetry.checkSilence(now: clock.now) == 0)
            #expect(a.shards.claimed.isEmpty)
            #expect(try await b.telemetry.checkSilence(now: clock.now) >= 1)
            let device = try await device(b, "ENV-X")
            #expect(device.state == .offline)
        }
    }

    /// A command-line import beside a serving node (`chengyun import air-quality` on PostgreSQL):
    /// it holds no shard, so it queues every line and the node judges them, once.
    @Test(arguments: clustered) func aProcessHoldingNothingQueuesEverything(backend: TestBackend) async throws {
        try await withTwoNodes(backend, clock: TestClock(Self.t0 + 60 * Self.minute)) { node, importer in
            _ = try await CaseFixture.make(node)
            try await node.clusterService.heartbeat(address: "a", startedAt: 1, ready: true)
            await node.shards.step(node, logger: quietLogger)
            importer.shards.holdNothing()
            try await register("ENV-X", on: node)
            let report = try await importer.telemetry.ingest(
                [reading(1, "ENV-X", 0, 50), reading(2, "ENV-X", 1, 80)], by: key)
            #expect(report.accepted == 2 && report.forwarded == 2 && report.alarms == 0)
            #expect(try await importer.telemetry.checkSilence(now: Self.t0 + 600 * Self.minute) == 0)
            #expect(try await node.telemetry.drainInbox() == 1)
            #expect(try await allAlarms(node, "ENV-X").count == 1)
        }
    }

    // MARK: Steps

    private var key: Principal {
        Principal(
            kind: .key, id: "key-gateway", name: "gateway", keyScopes: [.telemetryWrite],
            scope: AreaScope(areaId: "", path: "/"))
    }

    /// Both nodes beat and take their shares.
    private func join(_ a: Platform, _ b: Platform) async throws {
        try await a.clusterService.heartbeat(address: "a", startedAt: 1, ready: true)
        try await b.clusterService.heartbeat(address: "b", startedAt: 2, ready: true)
        await a.shards.step(a, logger: quietLogger)
        await b.shards.step(b, logger: quietLogger)
        #expect(Set(a.shards.claimed).isDisjoint(with: b.shards.claimed))
        #expect(a.shards.claimed.count + b.shards.claimed.count == RuleShards.count)
    }

    private func firstCode(held platform: Platform) throws -> String {
        try #require(
            (0..<1000).lazy.map { "ENV-\($0)" }.first {
                platform.shards.claimed.contains(RuleShards.shard(ofDevice: $0))
            })
    }

    private func register(_ code: String, on platform: Platform) async throws {
        let point = CaseFixture.pointA
        _ = try await platform.devices.register(
            NewDevice(code: code, kindCode: "environment", name: code, lon: point.lon, lat: point.lat), by: .system)
    }

    private func reading(_ line: Int, _ device: String, _ minute: Int64, _ pm25: Double) -> IncomingReading {
        IncomingReading(line: line, device: device, at: Self.t0 + minute * Self.minute, values: [("pm25", pm25)])
    }

    private func device(_ platform: Platform, _ code: String) async throws -> Device {
        try #require(try await platform.pool.read { try await DeviceRepository().find(code: code, on: $0) })
    }

    private func openAlarms(_ platform: Platform, _ code: String) async throws -> [Alarm] {
        let id = try await device(platform, code).id
        return try await platform.alarms.list(.init(open: true, deviceId: id), page: PageRequest(), by: .system).items
    }

    private func allAlarms(_ platform: Platform, _ code: String) async throws -> [Alarm] {
        let id = try await device(platform, code).id
        return try await platform.alarms.list(.init(deviceId: id), page: PageRequest(), by: .system).items
    }
}
