import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

/// The data catalog on both backends: the platform registers its own data once, a department
/// registers a dataset and sends it for review, the centre publishes it, and each step is
/// audited; drafts stay with their owners.
@Suite struct DataCatalogServiceTests {
    private func lamps(owner: Department? = nil) -> DatasetDraft {
        DatasetDraft(
            code: "street-lamps", title: "路灯设施", description: "全市路灯的位置、功率和状态", ownerDepartmentId: owner?.id,
            sharingType: .conditional, sharingCondition: "向市政、应急部门共享", openType: .closed, updateCycle: .monthly,
            tags: ["路灯", "市政设施"],
            fields: [
                DatasetField("code", .string, title: "编码", required: true, key: true),
                DatasetField("lon", .lon, title: "经度", required: true),
                DatasetField("lat", .lat, title: "纬度", required: true),
            ], lineage: [LineageLink(.dataset, "grid-cells"), LineageLink(.source, "路灯管理系统")])
    }

    private func centre(_ f: CaseFixture, id: String) -> Principal {
        var admin = f.staff(.admin)
        admin.id = id
        return admin
    }

    @Test(arguments: TestBackend.available) func thePlatformRegistersItsOwnDataOnce(backend: TestBackend) async throws {
        try await withTwoNodes(backend) { platform, other in
            // Two nodes installing at once: each code is registered once.
            async let first: Void = platform.dataCatalog.installPlatformDatasets()
            async let second: Void = other.dataCatalog.installPlatformDatasets()
            _ = try await (first, second)
            let page = try await platform.dataCatalog.search(.init(), page: PageRequest(), by: nil)
            #expect(
                page.items.map(\.code) == [
                    "city-cases", "city-indicators", "department-evaluations", "grid-cells", "iot-alarms",
                    "iot-devices", "iot-readings",
                ])
            #expect(
                page.items.allSatisfy {
                    $0.state == .published && $0.origin == .platform && $0.ownerDepartmentId == nil
                })
            let alarms = try await platform.dataCatalog.dataset(code: "iot-alarms", by: nil)
            #expect(alarms.lineage.map(\.ref) == ["iot-readings", "iot-devices"])
            let installs = try await platform.pool.read {
                try await platform.auditLog.list(.init(targetType: "dataset"), beforeSeq: nil, limit: 50, on: $0)
            }
            #expect(installs.count == 7 && installs.allSatisfy { $0.action == "dataset.install" })
        }
    }

    @Test(arguments: TestBackend.available) func aDepartmentsDatasetIsReviewedAndPublished(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let catalog = platform.dataCatalog
            let handler = f.staff(.handler, department: f.citySanitation)
            let other = f.staff(.handler, in: f.district, department: f.districtSanitation)
            // Not for another department.
            await #expect(throws: DomainError.self) {
                try await catalog.register(lamps(owner: f.districtSanitation), by: handler)
            }
            let draft = try await catalog.register(lamps(), by: handler)
            #expect(draft.state == .draft && draft.ownerDepartmentId == f.citySanitation.id && draft.version == 1)
            #expect(draft.ownerName == f.citySanitation.name && draft.areaPath == f.citySanitation.areaPath)
            // The code is one dataset's; a lineage names datasets that exist.
            await #expect(throws: DomainError.self) { try await catalog.register(lamps(), by: handler) }
            var unknown = lamps()
            unknown.code = "lamps-2"
            unknown.lineage = [LineageLink(.dataset, "no-such-dataset")]
            let refused = await #expect(throws: DomainError.self) { try await catalog.register(unknown, by: handler) }
            #expect(refused?.issues.first?.code == "unknown_dataset")

            // A draft is its owner's: another department neither finds nor lists it; the public neither.
            await #expect(throws: DomainError.self) { try await catalog.dataset(code: "street-lamps", by: other) }
            #expect(try await catalog.search(.init(text: "路灯"), page: PageRequest(), by: other).items.isEmpty)
            #expect(try await catalog.search(.init(text: "路灯"), page: PageRequest(), by: nil).items.isEmpty)
            #expect(try await catalog.search(.init(text: "路灯"), page: PageRequest(), by: handler).items.count == 1)

            var edited = lamps()
            edited.description = "全市路灯"
            #expect(try await catalog.update(code: "street-lamps", edited, by: handler).description == "全市路灯")
            let submitted = try await catalog.act(code: "street-lamps", .submit, note: nil, by: handler)
            #expect(submitted.state == .underReview)
            await #expect(throws: DomainError.self) {
                try await catalog.update(code: "street-lamps", edited, by: handler)
            }
            // The owner does not approve; the centre does, and only someone other than the submitter.
            let notYours = await #expect(throws: DomainError.self) {
                try await catalog.act(code: "street-lamps", .approve, note: nil, by: handler)
            }
            #expect(notYours?.code == "not_dataset_reviewer")
            let rejected = try await catalog.act(code: "street-lamps", .reject, note: "补充功率字段", by: centre(f, id: "c1"))
            #expect(rejected.state == .draft && rejected.reviewNote == "补充功率字段")
            _ = try await catalog.act(code: "street-lamps", .submit, note: nil, by: handler)
            let published = try await catalog.act(code: "street-lamps", .approve, note: nil, by: centre(f, id: "c2"))
            #expect(published.state == .published && published.publishedAt != nil)

            // Published: everyone finds it, by words, tag and sharing type.
            #expect(try await catalog.dataset(code: "street-lamps", by: nil).title == "路灯设施")
            #expect(
                try await catalog.search(.init(tag: "市政设施"), page: PageRequest(), by: nil).items.map(\.code) == [
                    "street-lamps"
                ])
            #expect(try await catalog.search(.init(tag: "市政"), page: PageRequest(), by: nil).items.isEmpty)
            let conditional = try await catalog.search(
                .init(sharingType: .conditional), offset: 0, limit: 100, by: other)
            #expect(
                conditional.datasets.contains { $0.code == "street-lamps" }
                    && conditional.count == conditional.datasets.count)
            #expect(try await catalog.search(.init(text: "100%_"), page: PageRequest(), by: nil).items.isEmpty)

            // Withdrawn with a reason, then revised as version 2.
            let noReason = await #expect(throws: DomainError.self) {
                try await catalog.act(code: "street-lamps", .withdraw, note: nil, by: handler)
            }
            #expect(noReason?.code == "note_required")
            _ = try await catalog.act(code: "street-lamps", .withdraw, note: "数据来源变更", by: handler)
            let revised = try await catalog.act(code: "street-lamps", .revise, note: nil, by: handler)
            #expect(revised.state == .draft && revised.version == 2)

            let trail = try await platform.pool.read {
                try await platform.auditLog.list(.init(targetId: "street-lamps"), beforeSeq: nil, limit: 50, on: $0)
            }
            #expect(
                trail.reversed().map(\.action) == [
                    "dataset.register", "dataset.update", "dataset.submit", "dataset.reject", "dataset.submit",
                    "dataset.approve", "dataset.withdraw", "dataset.revise",
                ])
        }
    }
}
