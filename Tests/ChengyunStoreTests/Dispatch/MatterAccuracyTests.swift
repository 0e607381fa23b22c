import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

/// Each model version keeps its matter suggester's held-out accuracy for the administrators' list:
/// trained on the older 70 % of filed cases, asked the matter of the newer 30 %.
@Suite struct MatterAccuracyTests {
    @Test(arguments: TestBackend.available) func theVersionListShowsTheSuggestersAccuracy(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let lights = try #require(try await platform.matters.all().first { $0.code == "C0118" })
            // Twelve filed cases, alternating garbage and street lights, each said in the matter's words.
            for index in 0..<12 {
                let (matter, text) = index % 2 == 0 ? (f.garbage, "路边垃圾堆积没人清运") : (lights, "这一排路灯晚上不亮")
                // Over 50 m from any case of the same matter, so none is merged as a duplicate.
                let point = GeoPoint(
                    lon: 120.6003 + Double(index % 6) * 0.0005, lat: 31.3001 + Double(index / 6) * 0.0006)
                let record = try await platform.cases.report(
                    NewReport(matterId: matter.id, description: text, lon: point.lon, lat: point.lat),
                    by: f.staff(.inspector, in: f.streetA)
                ).case
                _ = try await platform.cases.act(caseId: record.id, CaseActionInput(.file), by: f.staff(.supervisor))
            }
            let version = try await platform.dispatch.train(trigger: "demand", by: .system)
            // The newer 4 cases (30 % of 12, rounded up) are each named right by words seen before.
            #expect(version.matterAccuracy == 1)
            let listed = try #require(try await platform.dispatch.versions(limit: 1).first)
            #expect(listed.version == version.version && listed.matterAccuracy == 1)
        }
    }
}
