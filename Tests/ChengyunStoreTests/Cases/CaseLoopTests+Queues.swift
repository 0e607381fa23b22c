import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

/// Case numbers under concurrency, stage records, and what each role's queue shows.
extension CaseLoopTests {
    @Test(arguments: TestBackend.available) func dailyNumbersHaveNoGapsUnderConcurrency(backend: TestBackend)
        async throws
    {
        var settings = testSettings()
        settings.duplicates.mode = .off
        try await withPlatform(backend, settings: settings) { platform in
            let f = try await CaseFixture.make(platform)
            let numbers = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<30 {
                    group.addTask {
                        let point = GeoPoint(lon: 120.6001 + Double(index) * 0.00003, lat: 31.3004)
                        return try await Self.report(platform, f, by: f.citizen, at: point).case.number
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(numbers).count == 30)
            #expect(numbers.map { Int($0.suffix(4))! }.sorted() == Array(1...30))
            // A report that fails does not use up a number.
            _ = try? await platform.cases.report(
                NewReport(matterId: f.garbage.id, description: "", lon: 120.6005, lat: 31.3004), by: f.citizen)
            let next = try await Self.report(platform, f, by: f.citizen).case.number
            #expect(next.hasSuffix("0031"))
        }
    }

    @Test(arguments: TestBackend.available) func stagesRecordWhetherTheyFinishedInTime(backend: TestBackend)
        async throws
    {
        // Tuesday 24 Nov 2026, 09:00 Beijing time.
        let clock = TestClock(Int64(LocalDate(year: 2026, month: 11, day: 24).dayNumber) * 86_400_000 + 3_600_000)
        try await withPlatform(backend, clock: clock) { platform in
            let f = try await CaseFixture.make(platform)
            var record = try await Self.report(platform, f, by: f.staff(.inspector, in: f.streetA)).case
            record = try await platform.cases.act(caseId: record.id, CaseActionInput(.file), by: f.staff(.supervisor))
            // Handling exposed garbage has 4 working hours: 09:00 → 15:00 with the lunch break.
            #expect(record.stageDeadline == clock.now + 6 * 3_600_000)
            clock.advance(minutes: 7 * 60)
            let queue = try await platform.cases.queue(
                by: f.staff(.handler, in: f.district, department: f.districtSanitation))
            #expect(queue.first?.clock?.level == .red)
            record = try await platform.cases.act(
                caseId: record.id, CaseActionInput(.complete, note: "done"),
                by: f.staff(.handler, in: f.district, department: f.districtSanitation))
            let stages = try await platform.cases.detail(id: record.id, by: f.staff(.leader)).stages
            #expect(stages.first { $0.stage == .file }?.onTime == true)
            #expect(stages.first { $0.stage == .handle }?.onTime == false)
        }
    }

    @Test(arguments: TestBackend.available) func queuesShowWhatWaitsForEachRole(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let fromCitizen = try await Self.report(platform, f, by: f.citizen, matter: f.dirtyRoad).case
            let fromInspector = try await Self.report(platform, f, by: f.staff(.inspector, in: f.streetA)).case
            let urgent = try await Self.report(
                platform, f, by: f.staff(.inspector, in: f.streetB), matter: f.roadCollapse,
                at: CaseFixture.pointB, urgency: .urgent, fields: ["size": "small"])
            #expect(try await platform.cases.queue(by: f.staff(.intake)).map(\.case.id) == [fromCitizen.id])
            #expect(
                try await platform.cases.queue(by: f.staff(.supervisor)).map(\.case.id) == [
                    urgent.case.id, fromInspector.id,
                ],
                "urgent first")
            #expect(
                try await platform.cases.queue(by: f.staff(.supervisor, in: f.streetA)).map(\.case.id) == [
                    fromInspector.id
                ])
            var filter = CaseRepository.Filter(scopePath: nil)
            filter.areaId = f.streetB.id
            #expect(
                try await platform.cases.search(filter, page: PageRequest(), by: f.staff(.leader)).items.map(\.id) == [
                    urgent.case.id
                ])
            filter = CaseRepository.Filter(scopePath: nil)
            filter.text = "垃圾"
            #expect(try await platform.cases.search(filter, page: PageRequest(), by: f.staff(.leader)).items.count == 3)
        }
    }
}
