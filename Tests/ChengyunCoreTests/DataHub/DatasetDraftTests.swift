import ChengyunCore
import Testing

/// A dataset's metadata rules and the JSON Schema its fields make.
@Suite struct DatasetDraftTests {
    private func draft() -> DatasetDraft {
        DatasetDraft(
            code: "street-lamps", title: "路灯设施", description: "全市路灯的位置和状态", sharingType: .unconditional,
            openType: .open, updateCycle: .monthly, coverage: DatasetCoverage(bbox: [120.5, 31.2, 120.7, 31.4]),
            tags: ["路灯", "市政"],
            fields: [
                DatasetField("code", .string, title: "编码", required: true, key: true),
                DatasetField("lon", .lon, title: "经度", required: true),
                DatasetField("lat", .lat, title: "纬度", required: true),
                DatasetField("power", .number, title: "功率", unit: "W"),
                DatasetField("installed_on", .date, title: "安装日期"),
            ])
    }

    private func codes(_ draft: DatasetDraft) -> Set<String> { Set(draft.issues().map { "\($0.field):\($0.code)" }) }

    @Test func aGoodDraftHasNoIssues() { #expect(draft().issues().isEmpty) }

    @Test func sharingOtherThanUnconditionalSaysWhyAndOpennessFollowsSharing() {
        var d = draft()
        d.sharingType = .conditional
        #expect(codes(d) == ["sharingCondition:required", "openType:open_needs_sharing"])
        d.sharingCondition = "仅向市政部门共享"
        d.openType = .conditional
        #expect(codes(d).isEmpty)
        d.sharingType = .none
        #expect(codes(d) == ["openType:unshared_is_closed"])
        d.openType = .closed
        #expect(codes(d).isEmpty)
    }

    @Test func namesFieldsCoverageAndLineage() {
        var d = draft()
        d.code = "Street Lamps"
        d.fields.append(DatasetField("code", .string, title: "又一个"))
        d.fields.append(DatasetField("Bad-Name", .string, title: "x"))
        d.fields.append(DatasetField("serial", .string, title: "序号", key: true))
        d.coverage = DatasetCoverage(bbox: [120.7, 31.2, 120.5, 31.4], from: 10, to: 5)
        d.tags = ["路灯", "路灯"]
        d.lineage = [LineageLink(.dataset, d.code)]
        #expect(
            codes(d) == [
                "code:invalid_code", "fields:duplicate", "fields[6].name:invalid_name",
                "fields[7].required:key_required",
                "coverage.bbox:invalid_bbox", "coverage.to:before_from", "tags:duplicate", "lineage:self_reference",
            ])
    }

    @Test func theSchemaFollowsTheFields() {
        let dataset = Dataset(
            id: "d", code: "street-lamps", title: "路灯设施", description: "", ownerDepartmentId: "m", ownerName: "市政",
            ownerCode: "municipal", areaPath: "/c/", origin: .registered, sharingType: .unconditional, openType: .open,
            updateCycle: .monthly, fields: draft().fields, createdBy: "u", createdAt: 0)
        let schema = DatasetSchema(dataset, id: "http://x/schema")
        #expect(schema.required == ["code", "lon", "lat"] && schema.key == ["code"])
        #expect(schema.properties["lon"]?.type == "number" && schema.properties["lon"]?.minimum == -180)
        #expect(
            schema.properties["installed_on"]?.type == "string" && schema.properties["installed_on"]?.format == "date")
        #expect(schema.properties["power"]?.unit == "W" && !schema.additionalProperties)
    }
}
