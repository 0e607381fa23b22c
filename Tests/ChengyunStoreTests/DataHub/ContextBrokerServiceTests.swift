import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// The NGSI-LD door's entities and subscriptions on both backends: three devices, two in street
/// A (ENV-A at point A, MC-A 0.0003° east of it, about 28.5 m) and one in street B (ENV-B at point
/// B, 0.01° east, about 950 m); ENV-A's PM2.5 of 80 raises one alarm.
@Suite struct ContextBrokerServiceTests {
    static let t0: Int64 = 1_795_000_000_000
    static let urnA = "urn:ngsi-ld:Device:ENV-A"

    private func setUp(_ platform: Platform) async throws -> CaseFixture {
        let f = try await CaseFixture.make(platform)
        let (a, b) = (CaseFixture.pointA, CaseFixture.pointB)
        for (code, kind, point) in [
            ("ENV-A", "environment", a), ("MC-A", "manhole_cover", GeoPoint(lon: a.lon + 0.0003, lat: a.lat)),
            ("ENV-B", "environment", b),
        ] {
            _ = try await platform.devices.register(
                NewDevice(
                    code: code, kindCode: kind, name: code,
                    componentCode: kind == "manhole_cover" ? "3205080102000001" : nil,
                    lon: point.lon, lat: point.lat), by: .system)
        }
        return f
    }

    private func ingest(_ platform: Platform, _ device: String, pm25: Double, minute: Int64) async throws {
        let key = Principal(
            kind: .key, id: "key-gateway", name: "gateway", keyScopes: [.telemetryWrite],
            scope: AreaScope(areaId: "", path: "/"))
        _ = try await platform.telemetry.ingest(
            [IncomingReading(line: 1, device: device, at: Self.t0 + minute * 60_000, values: [("pm25", pm25)])], by: key
        )
    }

    private func alarmId(_ platform: Platform) async throws -> String? {
        try await platform.alarms.list(.init(), page: PageRequest(), by: .system).items.first?.id
    }

    private func ids(_ page: ContextPage) -> [String] {
        page.entities.map { $0.id.replacingOccurrences(of: "urn:ngsi-ld:Device:", with: "") }
    }

    @Test(arguments: TestBackend.available) func devicesByTypeQueryPlaceAndScope(backend: TestBackend) async throws {
        try await withPlatform(backend, clock: TestClock(Self.t0 + 10 * 60_000)) { platform in
            let f = try await setUp(platform)
            try await ingest(platform, "ENV-A", pm25: 80, minute: 1)
            try await ingest(platform, "ENV-B", pm25: 30, minute: 1)
            let broker = platform.contextBroker
            let city = f.staff(.supervisor)
            let all = try await broker.entities(ContextEntityQuery(types: [.device], count: true), by: city)
            #expect(ids(all) == ["ENV-A", "ENV-B", "MC-A"] && all.matched == 3)
            let a = try #require(all.entities.first)
            #expect(a.attribute("pm25")?.value == .number(80) && a.attribute("pm25")?.observedAt == Self.t0 + 60_000)

            let paged = try await broker.entities(
                ContextEntityQuery(types: [.device], offset: 1, limit: 1, count: true), by: city)
            #expect(ids(paged) == ["ENV-B"] && paged.matched == 3)
            let dirty = try await broker.entities(
                ContextEntityQuery(types: [.device], q: try .parse("pm25>50")), by: city)
            #expect(ids(dirty) == ["ENV-A"])
            let kinds = try await broker.entities(
                ContextEntityQuery(types: nil, q: try .parse(#"deviceCategory=="environment""#)), by: city)
            // The alarm is of the environment kind too.
            let alarm = try await alarmId(platform) ?? ""
            #expect(ids(kinds) == ["ENV-A", "ENV-B", "urn:ngsi-ld:Alarm:\(alarm)"])
            let near = try ContextGeoQuery.parse(
                georel: "near;maxDistance==100", geometry: "Point", coordinates: "[120.6005,31.3004]")
            #expect(
                ids(try await broker.entities(ContextEntityQuery(types: [.device], geo: near), by: city)) == [
                    "ENV-A", "MC-A",
                ])
            let byId = ContextEntityQuery(types: [.device], ids: [Self.urnA, "urn:ngsi-ld:Alarm:x"])
            #expect(ids(try await broker.entities(byId, by: city)) == ["ENV-A"])
            #expect(try await broker.entities(ContextEntityQuery(types: []), by: city).entities.isEmpty)

            // Street B's staff see street B's device only.
            let street = f.staff(.supervisor, in: f.streetB)
            #expect(ids(try await broker.entities(ContextEntityQuery(types: [.device]), by: street)) == ["ENV-B"])
            #expect(await errorCode { try await broker.entity(id: Self.urnA, by: street) } == "not_found")
            #expect(try await broker.entity(id: Self.urnA, by: city).attribute("pm25")?.value == .number(80))
            #expect(try await broker.types(by: street) == [.device])
            #expect(
                await errorCode { try await broker.entities(ContextEntityQuery(types: [.device]), by: f.citizen) }
                    == "out_of_scope")

            let alarms = try await broker.entities(ContextEntityQuery(types: [.alarm]), by: city)
            #expect(alarms.entities.count == 1)
            #expect(alarms.entities.first?.attribute("device")?.value == .text(Self.urnA))
            #expect(try await broker.entities(ContextEntityQuery(types: [.alarm]), by: street).entities.isEmpty)
        }
    }

    @Test(arguments: TestBackend.available) func alarmChangesNotifyTheSubscriptionsTheyMatch(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend, clock: TestClock(Self.t0 + 10 * 60_000)) { platform in
            let f = try await setUp(platform)
            let owner = try await f.account(platform, "city.supervisor", .supervisor)
            let elsewhere = try await f.account(platform, "street.supervisor", .supervisor, in: f.streetB)
            let subscribe = { (json: String, who: Principal) in
                try await platform.subscriptions.subscribe(try ContextSubscription.read(Data(json.utf8)), by: who)
            }
            let watched = try await subscribe(
                #"{"entities":[{"type":"Alarm"}],"watchedAttributes":["alarmState"],"notification":{"format":"keyValues","attributes":["alarmState"],"endpoint":{"uri":"http://127.0.0.1:9/a"}}}"#,
                owner)
            let cleared = try await subscribe(
                #"{"entities":[{"type":"Alarm"}],"q":"alarmState==cleared","notification":{"endpoint":{"uri":"http://127.0.0.1:9/b"}}}"#,
                owner)
            let theirs = try await subscribe(
                #"{"entities":[{"type":"Alarm"}],"notification":{"endpoint":{"uri":"http://127.0.0.1:9/c"}}}"#,
                elsewhere)
            #expect(
                await errorCode {
                    try await platform.subscriptions.subscribe(.init(topic: .ngsiLD, url: "http://x.test"), by: owner)
                }
                    == "validation_failed")

            try await ingest(platform, "ENV-A", pm25: 80, minute: 1)
            let alarm = try #require(
                try await platform.alarms.list(.init(open: true), page: PageRequest(), by: .system).items.first)
            _ = try await platform.alarms.acknowledge(id: alarm.id, note: nil, by: owner)

            let deliveries = { (subscription: NewSubscription, who: Principal) in
                try await platform.subscriptions.deliveries(
                    id: subscription.subscription.id, state: nil, page: PageRequest(), by: who
                ).items
            }
            // Raised (every attribute is new), then acknowledged (alarmState changed).
            let heard = try await deliveries(watched, owner)
            #expect(heard.count == 2 && heard.allSatisfy { $0.topic == .ngsiLD && $0.state == .pending })
            // Made in the same millisecond of the test's clock, so in no set order.
            let notes = heard.map { try? JSONSerialization.jsonObject(with: Data($0.body.utf8)) as? [String: Any] }
            let states = notes.map { (($0?["data"] as? [[String: Any]])?.first?["alarmState"] as? String) ?? "" }
            #expect(states.sorted() == ["acknowledged", "raised"])
            #expect(zip(notes, heard).allSatisfy { $0?["id"] as? String == "urn:ngsi-ld:Notification:\($1.id)" })
            #expect(notes.allSatisfy { ($0?["data"] as? [[String: Any]])?.first?.count == 3 })
            #expect(try await deliveries(cleared, owner).isEmpty)
            #expect(try await deliveries(theirs, elsewhere).isEmpty)
        }
    }

    /// `timeInterval`: each subscription due gets its entities as they stand, read in the owner's
    /// area, once an interval (less half a sweep's tick); changes meanwhile notify it nothing.
    @Test(arguments: TestBackend.available) func periodicSubscriptionsHearTheReadingsAsTheyStand(
        backend: TestBackend
    ) async throws {
        let clock = TestClock(Self.t0 + 10 * 60_000)
        try await withPlatform(backend, clock: clock) { platform in
            let f = try await setUp(platform)
            try await ingest(platform, "ENV-A", pm25: 80, minute: 1)
            try await ingest(platform, "ENV-B", pm25: 30, minute: 1)
            let owner = try await f.account(platform, "city.supervisor", .supervisor)
            let elsewhere = try await f.account(platform, "street.supervisor", .supervisor, in: f.streetB)
            let periodic =
                #"{"entities":[{"type":"Device"}],"timeInterval":60,"notification":{"format":"keyValues","attributes":["pm25"],"endpoint":{"uri":"http://127.0.0.1:9/p"}}}"#
            let subscribe = { (who: Principal) in
                try await platform.subscriptions.subscribe(try ContextSubscription.read(Data(periodic.utf8)), by: who)
            }
            let (mine, theirs) = (try await subscribe(owner), try await subscribe(elsewhere))
            var newest = PageRequest()
            newest.order = .newest
            let heard = { (subscription: NewSubscription, who: Principal) in
                try await platform.subscriptions.deliveries(
                    id: subscription.subscription.id, state: nil, page: newest, by: who
                ).items.map { delivery -> [String: Double] in
                    let note = try? JSONSerialization.jsonObject(with: Data(delivery.body.utf8)) as? [String: Any]
                    let data = (note?["data"] as? [[String: Any]]) ?? []
                    return Dictionary(
                        uniqueKeysWithValues: data.map {
                            (
                                ($0["id"] as? String ?? "").replacingOccurrences(of: "urn:ngsi-ld:Device:", with: ""),
                                ($0["pm25"] as? NSNumber)?.doubleValue ?? -1
                            )
                        })
                }
            }
            let settled = { (state: DeliveryState) in
                try await platform.pool.transaction { db in
                    try await db.raw("UPDATE subscription_deliveries SET state = \(bind: state.rawValue)").run()
                }
            }
            let received = { try await settled(.delivered) }
            let notifier = ContextNotifier(platform: platform)
            #expect(try await notifier.sweep() == 2)
            #expect(try await heard(mine, owner) == [["ENV-A": 80, "ENV-B": 30, "MC-A": -1]])
            #expect(try await heard(theirs, elsewhere) == [["ENV-B": 30]])
            #expect(try await notifier.sweep() == 0)
            try await received()
            // A node that starts leading reads when each was last notified from its deliveries.
            #expect(try await ContextNotifier(platform: platform).sweep() == 0)

            // A new reading (and the alarm it clears) notifies nothing until the interval is over.
            try await ingest(platform, "ENV-A", pm25: 20, minute: 2)
            clock.advance(millis: 58_000)
            #expect(try await notifier.sweep() == 0)
            #expect(try await heard(mine, owner).count == 1)
            clock.advance(millis: 1_000)
            #expect(try await notifier.sweep() == 2)
            #expect(try await heard(mine, owner).first == ["ENV-A": 20, "ENV-B": 30, "MC-A": -1])

            // A notification still waiting for its receiver holds the next back: no pile of
            // snapshots. A dead one does not.
            clock.advance(millis: 60_000)
            #expect(try await notifier.sweep() == 0)
            try await settled(.dead)
            #expect(try await notifier.sweep() == 2)

            _ = try await platform.subscriptions.cancel(id: mine.subscription.id, by: owner)
            try await received()
            clock.advance(millis: 60_000)
            #expect(try await notifier.sweep() == 1)
            #expect(try await heard(theirs, elsewhere).count == 4)
        }
    }
}
