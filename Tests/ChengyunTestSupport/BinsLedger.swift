import ChengyunCore
import ChengyunStore

/// A department's published ledger of waste-sorting points, its pipeline set: the dataset the
/// data hub's store tests load, query and share. Rows 3 and 4 are refused (unknown grid cell,
/// repeated key); rows 1 and 2 are kept, their GCJ-02 positions corrected.
public enum BinsLedger {
    public static func chunks(_ text: String, size: Int = 37) -> AsyncStream<[UInt8]> {
        let bytes = Array(text.utf8)
        return AsyncStream { continuation in
            var start = 0
            while start < bytes.count {
                continuation.yield(Array(bytes[start..<min(start + size, bytes.count)]))
                start += size
            }
            continuation.finish()
        }
    }

    public static func publish(_ platform: Platform, sharing: SharingType = .unconditional) async throws
        -> (CaseFixture, Principal)
    {
        let f = try await CaseFixture.make(platform)
        let handler = f.staff(.handler, department: f.citySanitation)
        var centre = f.staff(.admin)
        centre.id = "centre-reviewer"
        let draft = DatasetDraft(
            code: "bins", title: "垃圾分类投放点", description: "", sharingType: sharing,
            sharingCondition: sharing == .unconditional ? nil : "仅向环卫部门共享",
            openType: sharing == .unconditional ? .open : .closed,
            updateCycle: .monthly, fields: DemoDataHub.fields)
        _ = try await platform.dataCatalog.register(draft, by: handler)
        _ = try await platform.dataCatalog.act(code: "bins", .submit, note: nil, by: handler)
        _ = try await platform.dataCatalog.act(code: "bins", .approve, note: nil, by: centre)
        let pipeline = DemoDataHub.pipeline
        _ = try await platform.datasetLoads.setPipeline(
            code: "bins", PipelineInput(columns: pipeline.columns, steps: pipeline.steps), by: handler)
        return (f, handler)
    }

    /// `publish`, then the ledger loaded once by its owner.
    public static func publishLoaded(_ platform: Platform, sharing: SharingType = .unconditional) async throws
        -> (CaseFixture, Principal)
    {
        let (f, owner) = try await publish(platform, sharing: sharing)
        _ = try await platform.datasetLoads.load(
            code: "bins", format: .csv, source: .upload, dryRun: false, chunks: chunks(text(f)), by: owner)
        return (f, owner)
    }

    public static func text(_ f: CaseFixture, bins: Int = 3) -> String {
        let a = MarsCoordinates.gcj02(fromWGS84: CaseFixture.pointA)
        let b = MarsCoordinates.gcj02(fromWGS84: CaseFixture.pointB)
        return """
            编号,名称,类型,桶数,经度,纬度,网格,电话,检查时间
            LJ001,东园投放点,四分类,\(bins),\(a.lon),\(a.lat),\(f.cellA.code),0512-65220001,2026/11/5 9:30
            LJ002,西园投放点,厨余,2,\(b.lon),\(b.lat),\(f.cellB.code),13800001234,2026/11/20 14:00
            LJ003,坏网格,四分类,2,\(b.lon),\(b.lat),99999,,
            LJ001,重复,四分类,2,\(a.lon),\(a.lat),\(f.cellA.code),,

            """
    }
}
