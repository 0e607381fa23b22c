import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

/// A second report of the same problem nearby: merged keeping every reporter, or left to the
/// intake operator as a suggestion.
@Suite struct CaseDuplicateTests {
    @Test(arguments: TestBackend.available) func aNearbyReportOfTheSameProblemIsMergedKeepingEveryReporter(
        backend: TestBackend
    ) async throws {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let first = try await CaseLoopTests.report(platform, f, by: f.citizen).case
            // About 20 m away: the same problem.
            let near = GeoPoint(lon: CaseFixture.pointA.lon + 0.0002, lat: CaseFixture.pointA.lat)
            let second = try await CaseLoopTests.report(platform, f, by: f.staff(.inspector, in: f.streetA), at: near)
            #expect(second.case.state == .merged && second.case.duplicateOf == first.id)
            #expect(second.mergedInto?.duplicateCount == 1)
            let detail = try await platform.cases.detail(id: first.id, by: f.staff(.leader))
            #expect(detail.reporters.count == 2)
            #expect(detail.events.last?.action == "duplicate_merged")
            // Another matter at the same spot, or the same matter 80 m away, is a case of its own.
            #expect(
                try await CaseLoopTests.report(platform, f, by: f.citizen, matter: f.dirtyRoad).case.state == .reported)
            let far = GeoPoint(lon: CaseFixture.pointA.lon + 0.00085, lat: CaseFixture.pointA.lat)
            #expect(try await CaseLoopTests.report(platform, f, by: f.citizen, at: far).case.state == .reported)
        }
    }

    @Test(arguments: TestBackend.available) func suggestedDuplicatesAreLeftToTheIntakeOperator(backend: TestBackend)
        async throws
    {
        var settings = testSettings()
        settings.duplicates.mode = .suggest
        try await withPlatform(backend, settings: settings) { platform in
            let f = try await CaseFixture.make(platform)
            let first = try await CaseLoopTests.report(platform, f, by: f.citizen).case
            let second = try await CaseLoopTests.report(platform, f, by: f.citizen)
            #expect(second.case.state == .reported)
            #expect(second.possibleDuplicates.map(\.id) == [first.id])
            let merged = try await platform.cases.act(
                caseId: second.case.id, CaseActionInput(.merge, duplicateOf: first.id), by: f.staff(.intake))
            #expect(merged.state == .merged && merged.duplicateOf == first.id)
            #expect(try await platform.cases.detail(id: first.id, by: f.staff(.leader)).reporters.count == 2)
        }
    }
}
