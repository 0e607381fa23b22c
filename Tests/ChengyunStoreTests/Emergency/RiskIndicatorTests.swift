import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import SQLKit
import Testing

/// Indicator colours on the risk map: the district's safety vital sign turning red raises the
/// cells under it that hold a hazard source, at the risk clock's next round, and settles them
/// when the warning is resolved.
@Suite struct RiskIndicatorTests {
    @Test(arguments: TestBackend.available) func aRedSafetySignRaisesCellsWithHazards(backend: TestBackend)
        async throws
    {
        let clock = TestClock()
        try await withPlatform(backend, clock: clock) { platform in
            let f = try await CaseFixture.make(platform)
            let admin = f.staff(.admin)
            let risk = platform.risk
            // A flood-prone underpass of low inherent risk: blue on its own.
            _ = try await risk.addHazard(
                NewHazardSource(
                    code: "HZ-U", name: "下穿隧道", category: "flood", lon: CaseFixture.pointA.lon,
                    lat: CaseFixture.pointA.lat, inherentLevel: .blue), by: admin)
            #expect(try await risk.map(category: "flood", by: admin).isEmpty)

            var since = platform.now()
            clock.advance(minutes: 1)
            let now = platform.now()
            try await platform.pool.transaction { db in
                try await db.raw(
                    """
                    INSERT INTO warnings (id, key, kind, level, target_type, target_id, area_path, title, detail,
                        raised_at, updated_at)
                    VALUES ('w-safe', 'indicator:city.safe:district', 'indicator', 'red', 'indicator', 'city.safe',
                        \(bind: f.district.path), '安全', '59.7 分', \(bind: now), \(bind: now))
                    """
                ).run()
            }
            _ = try await risk.follow(since: since)
            let map = try await risk.map(category: "flood", by: admin)
            #expect(map.map(\.gridCellId) == [f.cellA.id], "only the cell holding a hazard source")
            #expect(map.first?.level == .yellow && map.first?.facts.indicatorMax == 4)

            since = platform.now()
            clock.advance(minutes: 1)
            let later = platform.now()
            try await platform.pool.transaction { db in
                try await db.raw(
                    "UPDATE warnings SET resolved_at = \(bind: later), updated_at = \(bind: later) WHERE id = 'w-safe'"
                ).run()
            }
            _ = try await risk.follow(since: since)
            #expect(try await risk.map(category: "flood", by: admin).isEmpty, "settled with the sign")
        }
    }
}
