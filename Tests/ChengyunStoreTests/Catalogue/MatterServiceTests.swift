import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

@Suite struct MatterServiceTests {
    static func withCatalogue(_ backend: TestBackend, _ body: (Platform) async throws -> Void) async throws {
        try await withPlatform(backend) { platform in
            _ = try await platform.catalogue.importTree(try CategoryRepository.defaultTree(), by: .system)
            try await body(platform)
        }
    }

    static let garbage = MatterInput(
        Matter(
            id: "", kind: .event, majorCode: "01", minorCode: "02", name: "暴露垃圾",
            limits: [
                MatterLimits(
                    urgency: .normal, stages: [StageLimit(.handle, TimeLimit(4, .hours))], total: TimeLimit(1, .days))
            ],
            updatedAt: 0))

    @Test(arguments: TestBackend.available) func savingAMatterAgainMakesANewVersion(backend: TestBackend) async throws {
        try await Self.withCatalogue(backend) { platform in
            let first = try await platform.matters.create(Self.garbage, by: .system)
            #expect(first.version == 1)
            #expect(first.code == "E0102")
            var changed = Self.garbage
            changed.limits[0].stages = [StageLimit(.handle, TimeLimit(2, .hours))]
            let second = try await platform.matters.update(id: first.id, changed, by: .system)
            #expect(second.version == 2)
            let versions = try await platform.matters.versions(id: first.id)
            #expect(versions.map(\.version) == [1, 2])
            #expect(
                versions[0].limits(for: .normal)?.limit(for: .handle) == TimeLimit(4, .hours),
                "version 1 keeps its limits")
            #expect(
                try await platform.matter(first.id).limits(for: .urgent)?.limit(for: .handle) == TimeLimit(2, .hours),
                "urgent falls back to the normal limits")
            await #expect(throws: DomainError.self) { try await platform.matters.create(Self.garbage, by: .system) }
        }
    }

    @Test(arguments: TestBackend.available) func mattersAreChecked(backend: TestBackend) async throws {
        try await Self.withCatalogue(backend) { platform in
            var bad = Self.garbage
            bad.minorCode = "99"
            bad.limits = [
                MatterLimits(
                    urgency: .urgent, stages: [StageLimit(.handle, TimeLimit(0, .hours))], total: TimeLimit(1, .days))
            ]
            do {
                _ = try await platform.matters.create(bad, by: .system)
                Issue.record("an invalid matter was accepted")
            } catch let error as DomainError {
                #expect(Set(error.issues.map(\.code)) == ["required", "invalid_limit", "unknown_category"])
            }
        }
    }

    @Test(arguments: TestBackend.available) func theDefaultCatalogueImportsAndRoundTrips(backend: TestBackend)
        async throws
    {
        try await Self.withCatalogue(backend) { platform in
            let report = try await platform.matters.importCatalogue(try MatterService.defaultCatalogue(), by: .system)
            #expect(report.created == 52)
            let again = try await platform.matters.importCatalogue(
                try await platform.matters.exportCatalogue(), by: .system)
            #expect(again.unchanged == 52 && again.created == 0 && again.updated == 0)
            let garbage = try #require(try await platform.matters.all().first { $0.code == "E0102" })
            #expect(
                garbage.limits(for: .normal)?.limit(for: .handle) == TimeLimit(4, .hours),
                "docs/domain.md §5: exposed garbage 4 working hours")
            let dirtyRoad = try #require(try await platform.matters.all().first { $0.code == "E0104" })
            #expect(
                dirtyRoad.limits(for: .normal)?.limit(for: .handle) == TimeLimit(2, .hours),
                "docs/domain.md §5: dirty road 2 working hours")
            // A file with one bad entry changes nothing and names the entry.
            var file = try await platform.matters.exportCatalogue()
            file.matters[3].name = "renamed"
            file.matters[5].limits = []
            do {
                _ = try await platform.matters.importCatalogue(file, by: .system)
                Issue.record("a bad file was imported")
            } catch let error as DomainError {
                #expect(error.issues.first?.field.hasPrefix("matters[5]") == true)
            }
            #expect(
                try await platform.matters.all().allSatisfy { $0.version == 1 }, "the import rolled back as a whole")
        }
    }

    @Test(arguments: TestBackend.available) func theCalendarDefaultsToChinasAndCanBeReplaced(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let calendar = try await platform.matters.calendar()
            #expect(calendar.holidays.contains(LocalDate(year: 2026, month: 2, day: 17)), "Spring Festival 2026")
            #expect(calendar.makeUpWorkdays.contains(LocalDate(year: 2026, month: 2, day: 28)))
            #expect(calendar.holidays.contains(LocalDate(year: 2025, month: 10, day: 8)))
            var edited = calendar
            edited.holidays.append(LocalDate(year: 2026, month: 12, day: 31))
            let saved = try await platform.matters.saveCalendar(
                WorkCalendar(
                    name: edited.name, weekPeriods: edited.weekPeriods,
                    holidays: edited.holidays,
                    makeUpWorkdays: edited.makeUpWorkdays), by: .system)
            #expect(try await platform.matters.calendar() == saved)
            var broken = saved
            broken.weekPeriods = [[]]
            await #expect(throws: DomainError.self) { try await platform.matters.saveCalendar(broken, by: .system) }
        }
    }

    @Test(arguments: TestBackend.available) func theDemoCityRoutesEveryMatter(backend: TestBackend) async throws {
        let (platform, _) = try await DemoFixture.shared.platform(backend)
        let matters = try await platform.matters.all()
        #expect(matters.count == 52)
        let areas = try await platform.organisation.listAreas(
            level: nil, parentId: nil, page: PageRequest(limit: 500), by: .system
        ).items
        let pingjiang = try #require(areas.first { $0.code == "320508001" })
        let departments = try await platform.organisation.listDepartments(
            kind: nil, page: PageRequest(limit: 500), by: .system
        ).items
        let name = { (id: String?) in departments.first { $0.id == id }?.name ?? "none" }
        try await platform.pool.read { db in
            for matter in matters {
                let rule = try await platform.matters.route(matterId: matter.id, areaPath: pingjiang.path, on: db)
                #expect(rule != nil, "\(matter.code) has no route")
            }
            let garbage = matters.first { $0.code == "E0102" }!
            let water = matters.first { $0.code == "C0101" }!
            #expect(
                name(
                    try await platform.matters.route(matterId: garbage.id, areaPath: pingjiang.path, on: db)?
                        .departmentIds.first)
                    == "姑苏区环境卫生管理所", "the district handles its own exposed garbage")
            #expect(
                name(
                    try await platform.matters.route(matterId: water.id, areaPath: pingjiang.path, on: db)?
                        .departmentIds.first)
                    == "苏州市自来水有限公司")
        }
    }
}

extension Platform {
    func matter(_ id: String) async throws -> Matter { try await matters.matter(id: id) }
}
