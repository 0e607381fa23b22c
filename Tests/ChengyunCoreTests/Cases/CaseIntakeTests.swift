import Testing

@testable import ChengyunCore

/// Reports decided without a database: the channel, every problem at once, the new case's clocks
/// and the merge of a repeat.
@Suite struct CaseIntakeTests {
    static let t0 = CaseStepTests.t0
    static let minute = CaseStepTests.minute
    static let cell = GridCell(
        id: "g1", code: "32050800100101", name: "平江 01", areaId: "a2", areaPath: "/1/2/",
        geometry: try! GeoPolygon(rings: [
            [
                GeoPoint(lon: 120, lat: 31), GeoPoint(lon: 121, lat: 31), GeoPoint(lon: 121, lat: 32),
                GeoPoint(lon: 120, lat: 31),
            ]
        ]), createdAt: 0, updatedAt: 0)
    static var matter: Matter {
        var matter = CaseStepTests.matter
        matter.customFields = [
            CustomField(key: "plate", label: "车牌", datatype: .string, required: true),
            CustomField(
                key: "size", label: "规模", datatype: .singleValueList,
                values: [.init(key: "s", name: "小"), .init(key: "l", name: "大")]),
            CustomField(key: "count", label: "数量", datatype: .number),
        ]
        return matter
    }
    static let citizen = Principal(kind: .citizen, id: "p1", name: "市民小王", scope: nil)

    static func report(_ fields: [String: String]? = ["plate": "苏E12345"], urgency: Urgency? = nil) -> NewReport {
        NewReport(
            matterId: "m1", description: "路边有垃圾", lon: 120.5, lat: 31.5, urgency: urgency, customFields: fields,
            reporterContact: nil)
    }

    @Test func theChannelFollowsWhoReports() throws {
        #expect(try CaseIntake.source(of: Self.report(), by: Self.citizen) == .citizen)
        let open311 = Principal(kind: .key, id: "k1", name: "app", keyScopes: [.open311Submit], scope: nil)
        #expect(try CaseIntake.source(of: Self.report(), by: open311) == .citizen)
        let machine = Principal(kind: .key, id: "k2", name: "sensor", keyScopes: [.casesCreate], scope: nil)
        #expect(try CaseIntake.source(of: Self.report(), by: machine) == .machine)
        let intake = Principal(kind: .staff, id: "u", name: "赵", roles: [.intake], scope: nil)
        var hotline = Self.report()
        hotline.source = .hotline
        #expect(try CaseIntake.source(of: hotline, by: intake) == .hotline)
        hotline.source = .citizen
        #expect(throws: DomainError.self) { try CaseIntake.source(of: hotline, by: intake) }
    }

    @Test func everyProblemIsReportedAtOnce() {
        let anonymous = CaseIntake.issues(
            of: Self.report(["size": "xl", "count": "many", "colour": "red"], urgency: .urgent), matter: Self.matter,
            source: .citizen, by: .anonymousCitizen)
        #expect(
            Set(anonymous.map { "\($0.field) \($0.code)" }) == [
                "customFields.plate required", "customFields.size invalid_value", "customFields.count invalid_value",
                "customFields.colour unknown_field", "urgency not_allowed", "reporterContact required",
            ])
        #expect(CaseIntake.issues(of: Self.report(), matter: Self.matter, source: .citizen, by: Self.citizen).isEmpty)
        var hidden = Self.matter
        hidden.isPublic = false
        #expect(
            CaseIntake.issues(of: Self.report(), matter: hidden, source: .citizen, by: Self.citizen).map(\.code) == [
                "not_public"
            ])
        #expect(CaseIntake.issues(of: Self.report(), matter: hidden, source: .intake, by: Self.citizen).isEmpty)
    }

    @Test func aNewCaseRunsItsFirstStageAndWholeCaseClocks() {
        let record = CaseIntake.newCase(
            Self.report(), id: "C9", number: "E0102202612010009", matter: Self.matter, cell: Self.cell,
            source: .citizen, by: Self.citizen, at: Self.t0, on: CaseStepTests.always)
        #expect(record.state == .reported && record.areaPath == "/1/2/" && record.gridCellId == "g1")
        #expect(record.reporterId == "p1" && record.reporterName == "市民小王" && record.revision == 1)
        // Accept within 30 minutes; the whole case within a day.
        #expect(record.stageDeadline == Self.t0 + 30 * Self.minute)
        #expect(record.caseDeadline == Self.t0 + 1440 * Self.minute)
    }

    @Test func aRepeatIsFiledMergedAndCountedOnTheOriginal() {
        let record = CaseIntake.newCase(
            Self.report(), id: "C9", number: "E0102202612010009", matter: Self.matter, cell: Self.cell,
            source: .citizen, by: Self.citizen, at: Self.t0, on: CaseStepTests.always)
        let filed = CaseIntake.file(record, mergingInto: nil, attachments: ["f1"], by: Self.citizen, at: Self.t0)
        #expect(filed.record.state == .reported && filed.absorbed == nil && filed.event.attachments == ["f1"])
        #expect(filed.reporter.caseId == "C9")
        let original = CaseStepTests.dispatching()
        let merged = CaseIntake.file(record, mergingInto: original, attachments: [], by: Self.citizen, at: Self.t0)
        #expect(merged.record.state == .merged && merged.record.duplicateOf == "C1")
        #expect(
            merged.record.stageClock == nil && merged.record.stageDeadline == nil && merged.record.caseDeadline == nil)
        #expect(merged.event.toState == .merged && merged.event.note == "duplicate of E0102202612010001")
        #expect(merged.absorbed?.original.duplicateCount == 1 && merged.reporter.caseId == "C1")
    }
}
